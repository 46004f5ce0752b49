// Where parbench finds Redis: the user's server (--redis URL), or a private redis-server that it
// starts itself on a Unix socket in a private temporary directory (no TCP port, no persistence) and
// kills when the last user is gone, on Ctrl-C too. hiredis connections to either.
#pragma once

#include <memory>
#include <string>

struct redisContext;

namespace parbench::ipc {

// How to reach a server: a Unix socket path, or a TCP host and port.
struct RedisAddress {
  std::string socket_path;
  std::string host;
  int port = 0;
  std::string describe() const;
};

// redis://host[:port] or unix:///path/to/socket; anything else throws std::invalid_argument.
RedisAddress parse_redis_url(const std::string& url);

// The redis-server a private server would run ($PARBENCH_REDIS_SERVER or PATH); empty if none.
std::string find_redis_server();

class PrivateRedisServer {
 public:
  // The one private server of this process, started on first use and shared by everything that
  // holds it. Throws within about 2 s, with the server's own complaint, if it cannot start.
  static std::shared_ptr<PrivateRedisServer> shared();
  ~PrivateRedisServer();
  PrivateRedisServer(const PrivateRedisServer&) = delete;
  PrivateRedisServer& operator=(const PrivateRedisServer&) = delete;

  RedisAddress address() const;

 private:
  PrivateRedisServer();
  struct State;
  std::unique_ptr<State> state_;
};

// A hiredis connection that frees itself. Connecting and every command time out after
// kRedisTimeoutMs, so an unreachable or dead server is an error, never a hang.
class RedisConnection {
 public:
  static constexpr int kRedisTimeoutMs = 1500;
  explicit RedisConnection(const RedisAddress& address);
  RedisConnection(RedisConnection&& other) noexcept;
  RedisConnection& operator=(RedisConnection&&) = delete;
  ~RedisConnection();

  // Sends a command (hiredis format string) and returns the reply as text: a bulk or status
  // string, an integer in decimal, "" for nil. Throws on an error reply or a broken connection.
  template <typename... Args>
  std::string command(const char* format, Args... args) {
    return take_reply(send(format, args...));
  }

 private:
  void* send(const char* format, ...);
  std::string take_reply(void* reply);
  redisContext* context_ = nullptr;
  std::string where_;
};

}  // namespace parbench::ipc
