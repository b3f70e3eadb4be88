// c10::Stream <-> runtime stream ids, and the current queue for enqueueing work.
#pragma once

#include <c10/core/Stream.h>

#include "runtime/cl.h"
#include "runtime/stream.h"

namespace torch_ocl {

c10::Stream make_stream(c10::DeviceIndex device, runtime::StreamId id);
c10::Stream current_stream(c10::DeviceIndex device = -1);
// The in-order queue of the current stream of `device` (-1: current device), for calls that
// enqueue nothing (commands go through enqueue_current).
cl_command_queue current_queue(c10::DeviceIndex device = -1);
// A scope for enqueueing commands on that queue (see runtime::Enqueue): every command goes
// through one, so that stream queries know what was enqueued.
runtime::Enqueue enqueue_current(c10::DeviceIndex device = -1);
c10::DeviceIndex current_device();

}  // namespace torch_ocl
