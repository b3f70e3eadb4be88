// Philox generator implementation and per-device default generators.
#include "core/Generator.h"

#include <ATen/Utils.h>
#include <ATen/core/GeneratorForPrivateuseone.h>
#include <c10/core/TensorImpl.h>
#include <c10/util/CallOnce.h>

#include <cstring>
#include <deque>
#include <mutex>
#include <random>

#include "core/Errors.h"
#include "core/Stream.h"
#include "runtime/device.h"

namespace torch_ocl {

OclGeneratorImpl::OclGeneratorImpl(c10::DeviceIndex device)
    : c10::GeneratorImpl(c10::Device(c10::DeviceType::PrivateUse1, device),
                         c10::DispatchKeySet(c10::DispatchKey::PrivateUse1)),
      seed_(c10::default_rng_seed_val) {}

void OclGeneratorImpl::set_current_seed(uint64_t seed) {
  seed_ = seed;
  offset_ = 0;
}

void OclGeneratorImpl::set_offset(uint64_t offset) { offset_ = offset; }
uint64_t OclGeneratorImpl::get_offset() const { return offset_; }
uint64_t OclGeneratorImpl::current_seed() const { return seed_; }

uint64_t OclGeneratorImpl::seed() {
  std::random_device rd;
  uint64_t s = (uint64_t(rd()) << 32) ^ rd();
  set_current_seed(s);
  return s;
}

void OclGeneratorImpl::set_state(const c10::TensorImpl& new_state) {
  at::detail::check_rng_state(new_state);
  TORCH_CHECK(new_state.numel() == 16, "[ocl] RNG state must be 16 bytes (seed, offset), got ", new_state.numel());
  uint64_t v[2];
  std::memcpy(v, new_state.data(), 16);
  seed_ = v[0];
  offset_ = v[1];
}

c10::intrusive_ptr<c10::TensorImpl> OclGeneratorImpl::get_state() const {
  auto state = at::detail::empty_cpu({16}, at::kByte, std::nullopt, std::nullopt, std::nullopt, std::nullopt);
  uint64_t v[2] = {seed_, offset_};
  std::memcpy(state.data_ptr(), v, 16);
  return state.getIntrusivePtr();
}

std::pair<uint64_t, uint64_t> OclGeneratorImpl::philox_inputs(uint64_t increment) {
  auto r = std::make_pair(seed_, offset_);
  offset_ += increment;
  return r;
}

OclGeneratorImpl* OclGeneratorImpl::clone_impl() const {
  auto* g = new OclGeneratorImpl(device().index());
  g->seed_ = seed_;
  g->offset_ = offset_;
  return g;
}

const at::Generator& default_generator(c10::DeviceIndex device) {
  static std::once_flag once;
  static std::deque<at::Generator>* gens = nullptr;
  std::call_once(once, [] {
    gens = new std::deque<at::Generator>();
    for (int i = 0; i < runtime::device_count(); ++i)
      gens->push_back(at::make_generator<OclGeneratorImpl>(static_cast<c10::DeviceIndex>(i)));
  });
  if (device < 0) device = current_device();
  translate_errors([&] { runtime::check_device_index(device); });
  return (*gens)[device];
}

at::Generator make_generator(c10::DeviceIndex device) {
  if (device < 0) device = current_device();
  translate_errors([&] { runtime::check_device_index(device); });
  return at::make_generator<OclGeneratorImpl>(device);
}

}  // namespace torch_ocl
