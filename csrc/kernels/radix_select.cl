// Radix select for topk and kthvalue: the k-th best key of each row by 8-bit digits from the
// most significant one, then the k best elements gathered in index order (optionally sorted).
// Defines from the launcher: BT (the element's bits as an unsigned type), KT (key type, uint
// or ulong), KEY_BITS (8, 16, 32, 64), one of KIND_FLOAT / KIND_SIGNED / KIND_UNSIGNED, for
// floats SIGN_BIT and EXP_MASK (as KT constants), WG (work-group size, 256), TILE (elements
// per work-group in the multi-group kernels), KCAP (capacity of the in-group sort),
// ROWS_KERNEL for the one-group-per-row kernel (else the long-row ones, so each program
// compiles only what it runs) with CACHE (keys held in local memory, 0 = none).
// Values move as bits, so no kernel does float arithmetic (no fp16/fp64 extension needed).

#define RADIX 256
#define ALL ((KT)(~(KT)0) >> (sizeof(KT) * 8 - KEY_BITS))
#define NONE 0xffffffffu

// Order-preserving unsigned key: larger key = larger value. NaN is the largest value (as
// PyTorch's sort and topk order it) and -0.0 equals +0.0.
inline KT key_of(BT b) {
  KT u = (KT)b;
#if defined(KIND_FLOAT)
  if ((u & ~SIGN_BIT) > EXP_MASK) return ALL;
  if (u == SIGN_BIT) u = 0;
  return (u & SIGN_BIT) ? (~u & ALL) : (u | SIGN_BIT);
#elif defined(KIND_SIGNED)
  return u ^ SIGN_BIT;
#else
  return u;
#endif
}

// Exclusive prefix sums over the work-group of two counters at once; *total gets the sums.
// Four barriers instead of a tree's 2 log2(WG): SEGS items sum a segment of SEG values each,
// one item scans the segment sums, then each item adds its segment's predecessors.
#define SEG 16
#define SEGS (WG / SEG)
#define SCAN_BUF (WG + SEGS + 1)
inline uint2 wg_scan(__local uint2* buf, uint2 v, uint2* total) {
  const uint lid = get_local_id(0);
  buf[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  if (lid < SEGS) {
    uint2 s = (uint2)(0, 0);
    for (uint j = 0; j < SEG; ++j) s += buf[lid * SEG + j];
    buf[WG + lid] = s;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  if (lid == 0) {
    uint2 run = (uint2)(0, 0);
    for (uint j = 0; j < SEGS; ++j) {
      const uint2 s = buf[WG + j];
      buf[WG + j] = run;
      run += s;
    }
    buf[WG + SEGS] = run;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  uint2 pre = buf[WG + lid / SEG];
  for (uint j = lid / SEG * SEG; j < lid; ++j) pre += buf[j];
  *total = buf[WG + SEGS];
  barrier(CLK_LOCAL_MEM_FENCE);  // buf is reused by the next call
  return pre;
}

// The digit holding the kk-th best key among hist's bins (best = highest digit first):
// sel[0] <- digit, sel[1] <- its rank among the keys with that digit.
inline void pick_digit(__local const uint* hist, __local uint2* buf, __local uint* sel, uint kk) {
  const uint lid = get_local_id(0);
  const uint c = lid < RADIX ? hist[RADIX - 1 - lid] : 0;
  uint2 total;
  const uint before = wg_scan(buf, (uint2)(c, 0), &total).x;
  if (lid < RADIX && before < kk && before + c >= kk) {
    sel[0] = RADIX - 1 - lid;
    sel[1] = kk - before;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
}

// One chunk of WG elements (base + lid) in index order: elements better than kth take
// positions carry.x + ..., the first kk equal ones positions ngt + carry.y + ...; returns
// the element's position (NONE if not taken) and advances carry.
inline uint place(__local uint2* buf, bool valid, KT key, KT kth, uint ngt, uint kk, uint2* carry) {
  const uint gt = valid && key > kth, eq = valid && key == kth;
  uint2 total;
  const uint2 pre = wg_scan(buf, (uint2)(gt, eq), &total) + *carry;
  *carry += total;
  if (gt) return pre.x;
  if (eq && pre.y < kk) return ngt + pre.y;
  return NONE;
}

#ifdef ROWS_KERNEL
// One work-group per row of x ([rows, n], contiguous): select, gather, optionally sort.
// Output positions first..k-1 of each row go to vals/idx ([rows, k - first]); sorted needs
// k <= KCAP (and first = 0).
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void topk_rows(
    __global const BT* x, ulong ox, __global BT* vals, ulong ov, __global long* idx, ulong oi, ulong rows, uint n,
    uint k, uint first, uint sorted, KT flip) {
  __local uint hist[RADIX];
  __local uint2 buf[SCAN_BUF];
  __local uint sel[2];
#if CACHE
  __local KT cache[CACHE];
#endif
  __local KT sk[KCAP];
  __local uint si[KCAP];
  const uint lid = get_local_id(0);
  const ulong outn = k - first;
  for (ulong r = get_group_id(0); r < rows; r += get_num_groups(0)) {
    __global const BT* xr = x + ox + r * n;
    barrier(CLK_LOCAL_MEM_FENCE);
#if CACHE
    for (uint i = lid; i < n; i += WG) cache[i] = key_of(xr[i]) ^ flip;
#define ROW_KEY(i) cache[i]
#else
#define ROW_KEY(i) (key_of(xr[i]) ^ flip)
#endif
    KT prefix = 0, mask = 0;
    uint kk = k;
    for (int shift = KEY_BITS - 8; shift >= 0; shift -= 8) {
      for (uint b = lid; b < RADIX; b += WG) hist[b] = 0;
      barrier(CLK_LOCAL_MEM_FENCE);
      for (uint i = lid; i < n; i += WG) {
        const KT key = ROW_KEY(i);
        if ((key & mask) == prefix) atomic_inc(&hist[(uint)(key >> shift) & (RADIX - 1)]);
      }
      barrier(CLK_LOCAL_MEM_FENCE);
      pick_digit(hist, buf, sel, kk);
      prefix |= (KT)sel[0] << shift;
      mask |= (KT)(RADIX - 1) << shift;
      kk = sel[1];
      barrier(CLK_LOCAL_MEM_FENCE);
    }
    // prefix is now the k-th best key: k - kk keys are better, kk equal ones complete the k
    const uint ngt = k - kk;
    uint2 carry = (uint2)(0, 0);
    for (uint base = 0; base < n && (carry.x < ngt || carry.y < kk); base += WG) {
      const uint i = base + lid;
      const KT key = i < n ? ROW_KEY(i) : 0;
      const uint pos = place(buf, i < n, key, prefix, ngt, kk, &carry);
      if (pos != NONE && pos >= first) {
        if (sorted) {
          sk[pos] = ROW_KEY(base + lid);
          si[pos] = base + lid;
        } else {
          vals[ov + r * outn + (pos - first)] = xr[i];
          idx[oi + r * outn + (pos - first)] = i;
        }
      }
    }
    // rank sort of the k results: best key first, ties by index (the order a stable sort gives)
    barrier(CLK_LOCAL_MEM_FENCE);
    if (sorted) {
      for (uint a = lid; a < k; a += WG) {
        const KT ka = sk[a];
        const uint ia = si[a];
        uint rank = 0;
        for (uint b = 0; b < k; ++b) rank += sk[b] > ka || (sk[b] == ka && si[b] < ia);
        vals[ov + r * outn + rank] = xr[ia];
        idx[oi + r * outn + rank] = ia;
      }
    }
  }
}

#else  // the long-row kernels

// Long rows, many work-groups per row. state[r * 4 + {0, 1, 2}] = (prefix, mask, kk) of row
// r after each pass; hist ([rows, RADIX], zero before the first pass) gets one pass's counts.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void radix_hist(
    __global const BT* x, ulong ox, __global uint* hist, ulong oh, __global const ulong* state, ulong os, uint n,
    uint parts, int shift, KT flip) {
  hist += oh;
  state += os;
  __local uint lh[RADIX];
  const uint lid = get_local_id(0);
  const ulong r = get_group_id(0) / parts, part = get_group_id(0) % parts;
  KT prefix = 0, mask = 0;
  if (shift != KEY_BITS - 8) {
    prefix = (KT)state[r * 4];
    mask = (KT)state[r * 4 + 1];
  }
  for (uint b = lid; b < RADIX; b += WG) lh[b] = 0;
  barrier(CLK_LOCAL_MEM_FENCE);
  __global const BT* xr = x + ox + r * n;
  for (ulong i = part * WG + lid; i < n; i += (ulong)parts * WG) {
    const KT key = key_of(xr[i]) ^ flip;
    if ((key & mask) == prefix) atomic_inc(&lh[(uint)(key >> shift) & (RADIX - 1)]);
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  for (uint b = lid; b < RADIX; b += WG)
    if (lh[b]) atomic_add(&hist[r * RADIX + b], lh[b]);
}

// One work item per row: picks the digit of this pass, updates state and clears hist.
__kernel void radix_find(__global uint* hist, ulong oh, __global ulong* state, ulong os, ulong rows, uint k,
                         int shift) {
  hist += oh;
  state += os;
  for (ulong r = get_global_id(0); r < rows; r += get_global_size(0)) {
    const bool first_pass = shift == KEY_BITS - 8;
    ulong prefix = first_pass ? 0 : state[r * 4], mask = first_pass ? 0 : state[r * 4 + 1];
    uint kk = first_pass ? k : (uint)state[r * 4 + 2];
    uint cum = 0, digit = 0, rank = kk;
    bool found = false;
    for (int d = RADIX - 1; d >= 0; --d) {
      const uint c = hist[r * RADIX + d];
      hist[r * RADIX + d] = 0;
      if (!found && cum + c >= kk) {
        found = true;
        digit = d;
        rank = kk - cum;
      }
      cum += c;
    }
    state[r * 4] = prefix | ((ulong)digit << shift);
    state[r * 4 + 1] = mask | ((ulong)(RADIX - 1) << shift);
    state[r * 4 + 2] = rank;
  }
}

// Per tile of TILE elements: how many keys are better than / equal to the k-th (cnt[r, t]).
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void tile_count(
    __global const BT* x, ulong ox, __global const ulong* state, ulong os, __global uint2* cnt, ulong oc, uint n,
    uint tiles, KT flip) {
  state += os;
  cnt += oc;
  __local uint2 buf[SCAN_BUF];
  const ulong r = get_group_id(0) / tiles, t = get_group_id(0) % tiles;
  const KT kth = (KT)state[r * 4];
  __global const BT* xr = x + ox + r * n;
  uint2 c = (uint2)(0, 0);
  const ulong end = min((ulong)n, (t + 1) * TILE);
  for (ulong i = t * TILE + get_local_id(0); i < end; i += WG) {
    const KT key = key_of(xr[i]) ^ flip;
    c.x += key > kth;
    c.y += key == kth;
  }
  uint2 total;
  wg_scan(buf, c, &total);
  if (get_local_id(0) == 0) cnt[r * tiles + t] = total;
}

// One work-group per row: off[r, t] = sums of cnt[r, 0..t-1] (t = 0..tiles).
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void tile_offsets(__global const uint2* cnt, ulong oc,
                                                                           __global uint2* off, ulong oo,
                                                                           uint tiles) {
  cnt += oc;
  off += oo;
  __local uint2 buf[SCAN_BUF];
  const ulong r = get_group_id(0);
  uint2 carry = (uint2)(0, 0);
  for (uint base = 0; base <= tiles; base += WG) {
    const uint t = base + get_local_id(0);
    uint2 total;
    const uint2 pre = wg_scan(buf, t < tiles ? cnt[r * tiles + t] : (uint2)(0, 0), &total) + carry;
    if (t <= tiles) off[r * (tiles + 1) + t] = pre;
    carry += total;
  }
}

// Per tile: writes its selected elements at the positions its offsets give (tiles holding
// none return at once, so for small k this reads little).
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void tile_scatter(
    __global const BT* x, ulong ox, __global const ulong* state, ulong os, __global const uint2* off, ulong oo,
    __global BT* vals, ulong ov, __global long* idx, ulong oi, uint n, uint tiles, uint k, uint first, KT flip) {
  state += os;
  off += oo;
  __local uint2 buf[SCAN_BUF];
  const ulong r = get_group_id(0) / tiles, t = get_group_id(0) % tiles;
  const KT kth = (KT)state[r * 4];
  const uint kk = (uint)state[r * 4 + 2], ngt = k - kk;
  const uint2 o0 = off[r * (tiles + 1) + t], o1 = off[r * (tiles + 1) + t + 1];
  if (o1.x == o0.x && (o0.y >= kk || o1.y == o0.y)) return;
  __global const BT* xr = x + ox + r * n;
  const ulong outn = k - first;
  uint2 carry = o0;
  for (ulong base = t * TILE; base < min((ulong)n, (t + 1) * TILE); base += WG) {
    const ulong i = base + get_local_id(0);
    const bool valid = i < n && i < (t + 1) * TILE;
    const KT key = valid ? key_of(xr[i]) ^ flip : 0;
    const uint pos = place(buf, valid, key, kth, ngt, kk, &carry);
    if (pos == NONE || pos < first) continue;
    vals[ov + r * outn + (pos - first)] = xr[i];
    idx[oi + r * outn + (pos - first)] = (long)i;
  }
}

// Sorts each row of (vals, idx) ([rows, k], k <= KCAP) into (svals, sidx): best key first,
// ties by index.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1))) void rank_sort(
    __global const BT* vals, ulong ov, __global const long* idx, ulong oi, __global BT* svals, ulong osv,
    __global long* sidx, ulong osi, ulong rows, uint k, KT flip) {
  __local KT sk[KCAP];
  __local long si[KCAP];
  const uint lid = get_local_id(0);
  for (ulong r = get_group_id(0); r < rows; r += get_num_groups(0)) {
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint a = lid; a < k; a += WG) {
      sk[a] = key_of(vals[ov + r * k + a]) ^ flip;
      si[a] = idx[oi + r * k + a];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint a = lid; a < k; a += WG) {
      const KT ka = sk[a];
      const long ia = si[a];
      uint rank = 0;
      for (uint b = 0; b < k; ++b) rank += sk[b] > ka || (sk[b] == ka && si[b] < ia);
      svals[osv + r * k + rank] = vals[ov + r * k + a];
      sidx[osi + r * k + rank] = ia;
    }
  }
}

#endif  // ROWS_KERNEL
