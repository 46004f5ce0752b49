#include "ipc/broker.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "ipc/connection_cache.hpp"

namespace parbench::ipc {
namespace {

struct Request {
  Broker::Op op;
  std::uint64_t value;
};

sockaddr_un address_of(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    throw std::runtime_error("socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

bool transfer(int fd, void* data, std::size_t size, bool sending) {
  auto* bytes = static_cast<char*>(data);
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = sending ? ::send(fd, bytes + done, size - done, MSG_NOSIGNAL)
                              : ::recv(fd, bytes + done, size - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The broker's loop: one poll() over the listening socket and every client.
int serve(int listener) {
  std::uint64_t value = 0;
  std::vector<pollfd> fds{{listener, POLLIN, 0}};
  for (;;) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if ((fds[0].revents & POLLIN) != 0) {
      const int client = ::accept(listener, nullptr, nullptr);
      if (client >= 0) fds.push_back({client, POLLIN, 0});
    }
    for (std::size_t i = 1; i < fds.size();) {
      if (fds[i].revents == 0) {
        ++i;
        continue;
      }
      Request r{};
      if (!transfer(fds[i].fd, &r, sizeof r, false)) {
        ::close(fds[i].fd);
        fds.erase(fds.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      switch (r.op) {
        case Broker::Op::kGet:
          break;
        case Broker::Op::kZero:
          value = 0;
          break;
        case Broker::Op::kRaiseToMin:
          if (value == 0 || r.value < value) value = r.value;
          break;
        case Broker::Op::kAdd:
          value += r.value;
          break;
      }
      transfer(fds[i].fd, &value, sizeof value, true);
      ++i;
    }
  }
}

// A socket of this process, closed with the thread that made it.
struct Socket {
  int fd = -1;
  explicit Socket(int f) : fd(f) {}
  Socket(Socket&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
  Socket& operator=(Socket&&) = delete;
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Broker::Broker() : owner_(new_connection_owner()), path_(dir_.file("broker.sock")) {
  const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) throw std::system_error(errno, std::generic_category(), "socket");
  const sockaddr_un addr = address_of(path_);
  if (::bind(listener, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 64) != 0) {
    const int error = errno;
    ::close(listener);
    throw std::system_error(error, std::generic_category(), "broker socket " + path_);
  }
  server_ = std::make_unique<ChildProcess>(
      ChildProcess::fork_running([listener] { return serve(listener); }));
  ::close(listener);
}

int Broker::connection() const {
  return thread_connection<Socket>(
             owner_,
             [this] {
               Socket s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
               const sockaddr_un addr = address_of(path_);
               if (s.fd < 0 ||
                   ::connect(s.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
                 throw std::system_error(errno, std::generic_category(),
                                         "cannot reach the broker at " + path_);
               }
               return s;
             })
      .fd;
}

std::uint64_t Broker::ask(Op op, std::uint64_t value) const {
  const int fd = connection();
  Request r{op, value};
  std::uint64_t answer = 0;
  if (!transfer(fd, &r, sizeof r, true) || !transfer(fd, &answer, sizeof answer, false)) {
    throw std::runtime_error("the broker process does not answer (it died?)");
  }
  return answer;
}

}  // namespace parbench::ipc
