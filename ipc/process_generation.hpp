// Which process is this? A counter bumped in every child right after fork(), much cheaper to read
// on every flag check than getpid() (a system call). Per-process resources (a mapping opened by
// name, a socket) remember the generation they were made in and are made again after a fork.
#pragma once

namespace parbench::ipc {

unsigned process_generation() noexcept;

}  // namespace parbench::ipc
