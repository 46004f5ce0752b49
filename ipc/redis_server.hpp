// Where parbench finds Redis: the user's server (--redis URL), or a private redis-server that it
// starts itself on a Unix socket in a private temporary directory (no TCP port, no persistence) and
// kills when the last user is gone, on Ctrl-C too. hiredis connections to either.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;

namespace parbench::ipc {

// How to reach a server: a Unix socket path, or a TCP host (an IPv6 one without brackets) and
// port; with a password (and a user, for Redis 6 ACLs) where the server asks for one, and the
// database to SELECT.
struct RedisAddress {
  std::string socket_path;
  std::string host;
  int port = 0;
  std::string user;
  std::string password;
  int db = 0;
  // The URL without the password, for messages.
  std::string describe() const;
  // The URL a worker connects with, password included (passed through the environment, never on
  // a command line where `ps` shows it).
  std::string url() const;
};

// redis://[[user]:password@]host[:port][/db] (host a name, an IPv4 address or [IPv6]; user and
// password %-encoded where they hold reserved bytes) or unix:///path/to/socket. Anything else
// throws std::invalid_argument, whose message quotes no part of the URL: it may hold a password.
// ipc/redis_url.cpp.
RedisAddress parse_redis_url(const std::string& url);

// `text` with whatever stands between "://" and the last '@' of each URL in it replaced by ***: for
// messages that quote arguments as they were given (a command-line parser's).
std::string redact_url_passwords(std::string text);

// The variable every command that takes --redis reads when it is not given: a password there
// stays out of `ps` (a command line is public; forked workers show their parent's).
inline constexpr const char* kRedisUrlVariable = "PARBENCH_REDIS_URL";

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
  // The same for a command whose reply is an array (HGETALL, SMEMBERS): its elements as text, nil
  // ones as "".
  template <typename... Args>
  std::vector<std::string> command_list(const char* format, Args... args) {
    return take_list(send(format, args...));
  }
  // Pipelining: append() queues a command without waiting; reply() then takes the replies in
  // order, the first one sending everything queued. One round trip for several commands.
  template <typename... Args>
  void append(const char* format, Args... args) {
    queue(format, args...);
  }
  std::string reply() { return take_reply(next_reply()); }
  // Sends what append() queued now, without waiting for the replies: their round trip then
  // overlaps whatever the caller does next.
  void flush();
  // The next reply of a command that flush() sent, leaving what append() queued since unsent (a
  // reply read between two queued commands would send the first alone, reply() does).
  std::string sent_reply() { return take_reply(next_sent_reply()); }
  // A command given as its words (any bytes, any number of them), sent at once or queued.
  std::string command_argv(const std::vector<std::string>& words);
  void append_argv(const std::vector<std::string>& words);
  // A command already in the server's protocol (RESP: "*N\r\n$len\r\nword\r\n..."), queued as is.
  void append_formatted(std::string_view resp);
  // The socket, for a farewell written from a signal handler (ipc/cleanup.hpp).
  int fd() const;

 private:
  void* send(const char* format, ...);
  void queue(const char* format, ...);
  void* next_reply();
  void* next_sent_reply();
  std::string take_reply(void* reply);
  std::vector<std::string> take_list(void* reply);
  void check(void* reply);
  redisContext* context_ = nullptr;
  std::string where_;
};

}  // namespace parbench::ipc
