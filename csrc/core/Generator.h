// Counter-based Philox generator state (seed, offset) per ocl device.
#pragma once

#include <ATen/core/Generator.h>
#include <c10/core/GeneratorImpl.h>

#include <cstdint>
#include <utility>

namespace torch_ocl {

class OclGeneratorImpl : public c10::GeneratorImpl {
 public:
  explicit OclGeneratorImpl(c10::DeviceIndex device = -1);
  void set_current_seed(uint64_t seed) override;
  void set_offset(uint64_t offset) override;
  uint64_t get_offset() const override;
  uint64_t current_seed() const override;
  uint64_t seed() override;
  // State: 16 bytes (uint8 tensor): seed then offset, little-endian uint64 each.
  void set_state(const c10::TensorImpl& new_state) override;
  c10::intrusive_ptr<c10::TensorImpl> get_state() const override;
  static c10::DeviceType device_type() { return c10::DeviceType::PrivateUse1; }

  // (seed, offset) for one launch; advances the offset by `increment` counter blocks.
  std::pair<uint64_t, uint64_t> philox_inputs(uint64_t increment);

 private:
  OclGeneratorImpl* clone_impl() const override;
  uint64_t seed_;
  uint64_t offset_ = 0;
};

const at::Generator& default_generator(c10::DeviceIndex device = -1);
at::Generator make_generator(c10::DeviceIndex device = -1);

}  // namespace torch_ocl
