// copy: the book's failure made explicit ("passing the array as an argument copies it"). Each
// worker keeps a private copy of the whole array, refreshed from the owner's at its first row of
// every repetition (the pickled array each task receives), fills its rows there and sends each row
// back through one pipe; a thread of the owner copies them into the owner's array. The cost of not
// sharing: a whole array copied per worker and per repetition, every row copied twice more on its
// way back, and workers + 1 arrays in memory.
#include <fcntl.h>
#include <poll.h>
#include <semaphore.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include "ipc/mapping.hpp"
#include "ipc/process_generation.hpp"
#include "ipc/shared_block.hpp"

namespace parbench::ipc {
namespace {

// What the workers and the owner share, in one inherited page.
struct SharedState {
  sem_t row_lock;  // one row at a time in the pipe: writes interleave otherwise
  std::atomic<std::uint64_t> generation;  // the repetition, bumped by the owner before each
  std::atomic<std::uint64_t> copied;      // bytes the workers copied into their own arrays
};

struct RowHeader {
  std::uint64_t first;
  std::uint64_t count;
};

void write_all(int fd, const void* data, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::write(fd, p, bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw std::system_error(errno, std::generic_category(), "sending a row to the owner");
    p += n;
    bytes -= static_cast<std::size_t>(n);
  }
}

class CopyBlock final : public SharedBlock {
 public:
  explicit CopyBlock(const BlockSettings& s)
      : bytes_(s.bytes),
        owner_(s.bytes, MAP_PRIVATE | MAP_ANONYMOUS, -1, Mapping::Kind::kPrivate,
               "the owner's array"),
        shared_page_(sizeof(SharedState), MAP_SHARED | MAP_ANONYMOUS, -1, Mapping::Kind::kShared,
                     "the copy variant's shared page"),
        shared_(new (shared_page_.words().data()) SharedState{}) {
    owner_.advise_huge_pages();  // the same private memory as none
    // What forked workers inherit, and copy from at every repetition: the array holding the
    // default, like the book's global array (a fresh page already reads as 0).
    if (s.default_word != 0) {
      const auto words = owner_.words();
      std::fill(words.begin(), words.end(), s.default_word);
    }
    if (sem_init(&shared_->row_lock, 1, 1) != 0)
      throw std::system_error(errno, std::generic_category(), "making the row lock");
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      throw std::system_error(errno, std::generic_category(), "making the rows' pipe");
    read_fd_ = fds[0];
    write_fd_ = fds[1];
    stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
    if (stop_fd_ < 0) throw std::system_error(errno, std::generic_category(), "making an eventfd");
  }
  ~CopyBlock() override {
    if (made_in_ != process_generation()) return;  // a forked worker's inherited copy
    stop_receiving();
    sem_destroy(&shared_->row_lock);
    for (const int fd : {read_fd_, write_fd_, stop_fd_}) {
      if (fd >= 0) ::close(fd);
    }
  }
  CopyBlock(const CopyBlock&) = delete;
  CopyBlock& operator=(const CopyBlock&) = delete;

  std::span<std::uint64_t> words() override { return owner_.words(); }
  void discard() override { owner_.discard(); }
  void populate() override { owner_.populate(); }

  std::uint64_t* for_writing(std::uint64_t first, std::uint64_t /*count*/) override {
    if (mine_in_ != process_generation()) {  // this worker's first row: its own array
      mine_ = Mapping(bytes_, MAP_PRIVATE | MAP_ANONYMOUS, -1, Mapping::Kind::kPrivate,
                      "a worker's copy of the array");
      mine_.advise_huge_pages();
      mine_in_ = process_generation();
      mine_for_ = 0;
    }
    const std::uint64_t generation = shared_->generation.load(std::memory_order_acquire);
    if (mine_for_ != generation) {  // the array as the owner had it when the worker got it
      std::memcpy(mine_.words().data(), owner_.words().data(), bytes_);
      shared_->copied.fetch_add(bytes_, std::memory_order_relaxed);
      mine_for_ = generation;
    }
    return mine_.words().data() + first;
  }

  void written(std::uint64_t first, std::uint64_t count) override {
    while (sem_wait(&shared_->row_lock) != 0) {
      if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "row lock");
    }
    struct Release {
      sem_t* s;
      ~Release() { sem_post(s); }
    } release{&shared_->row_lock};
    const RowHeader header{first, count};
    write_all(write_fd_, &header, sizeof header);
    write_all(write_fd_, mine_.words().data() + first, count * sizeof(std::uint64_t));
  }

  void before_repetition() override {
    stop_receiving();
    shared_->generation.fetch_add(1, std::memory_order_release);
    shared_->copied.store(0, std::memory_order_relaxed);
    received_ = 0;
    receive_error_.clear();
    receiver_ = std::thread([this] { receive(); });
  }
  std::uint64_t after_repetition() override {
    if (receiver_.joinable()) receiver_.join();  // the last rows are in the pipe or on their way
    if (!receive_error_.empty()) throw std::runtime_error(receive_error_);
    return shared_->copied.load(std::memory_order_relaxed) + received_;
  }

 private:
  // The owner's thread: copies rows in until the whole array has arrived, or until told to stop
  // (a worker died and the run is over).
  void receive() {
    const std::uint64_t total = bytes_;
    auto* into = reinterpret_cast<unsigned char*>(owner_.words().data());
    try {
      while (received_ < total) {
        RowHeader header{};
        if (!read_all(&header, sizeof header)) return;
        if (header.first > total / 8 || header.count > total / 8 - header.first)
          throw std::runtime_error("a worker sent a row outside the array");
        if (!read_all(into + header.first * 8, header.count * 8)) return;
        received_ += header.count * 8;
      }
    } catch (const std::exception& e) {
      receive_error_ = e.what();
    }
  }
  // False when told to stop first.
  bool read_all(void* data, std::size_t bytes) {
    auto* p = static_cast<unsigned char*>(data);
    while (bytes > 0) {
      pollfd fds[2] = {{read_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "waiting for rows");
      }
      if (fds[1].revents != 0) return false;
      const ssize_t n = ::read(read_fd_, p, bytes);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0)
        throw std::system_error(n == 0 ? EPIPE : errno, std::generic_category(), "reading rows");
      p += n;
      bytes -= static_cast<std::size_t>(n);
    }
    return true;
  }
  void stop_receiving() noexcept {
    if (!receiver_.joinable()) return;
    const std::uint64_t one = 1;
    (void)!::write(stop_fd_, &one, sizeof one);
    receiver_.join();
    std::uint64_t drained = 0;
    (void)!::read(stop_fd_, &drained, sizeof drained);
  }

  std::uint64_t bytes_;
  Mapping owner_;
  Mapping shared_page_;
  SharedState* shared_;
  int read_fd_ = -1;
  int write_fd_ = -1;
  int stop_fd_ = -1;
  unsigned made_in_ = process_generation();
  std::thread receiver_;
  std::uint64_t received_ = 0;
  std::string receive_error_;
  // The worker's own array, in the process that made it, as of repetition mine_for_.
  Mapping mine_;
  unsigned mine_in_ = 0;
  std::uint64_t mine_for_ = 0;
};

}  // namespace

BlockVariant copy_block_variant() {
  return {
      {"copy",
       "no sharing: each worker fills a private copy of the whole array and pipes its rows back",
       Need::kSeparateMemory,
       [](const BlockSettings& s) { return std::make_unique<CopyBlock>(s); }},
      [](int workers) { return static_cast<std::uint64_t>(workers) + 1; }};
}

}  // namespace parbench::ipc
