#include "ipc/redis_server.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <fmt/format.h>
#include <chrono>
#include <cstdarg>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "ipc/child_process.hpp"
#include "ipc/temp_dir.hpp"

namespace parbench::ipc {
namespace {

timeval redis_timeout() {
  constexpr long kMs = RedisConnection::kRedisTimeoutMs;
  return {kMs / 1000, (kMs % 1000) * 1000L};
}

// The last line the server logged: why it would not start.
std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace

std::string find_redis_server() {
  const char* forced = std::getenv("PARBENCH_REDIS_SERVER");
  return find_executable(forced != nullptr ? forced : "redis-server");
}

struct PrivateRedisServer::State {
  TempDir dir;
  std::string socket = dir.file("redis.sock");
  std::string log = dir.file("redis.log");
  std::unique_ptr<ChildProcess> process;
};

PrivateRedisServer::PrivateRedisServer() : state_(std::make_unique<State>()) {
  const std::string server = find_redis_server();
  if (server.empty()) {
    throw std::runtime_error(
        "redis-server not found on PATH (scripts/install-deps installs it; or give --redis URL)");
  }
  // No TCP port, nothing saved, the socket only for this user.
  state_->process = std::make_unique<ChildProcess>(
      ChildProcess::spawn({server, "--port", "0", "--unixsocket", state_->socket,
                           "--unixsocketperm", "700", "--save", "", "--appendonly", "no", "--dir",
                           state_->dir.path(), "--logfile", state_->log, "--daemonize", "no"},
                          ChildProcess::SpawnOptions{}));
  // Ready once it answers; dead or silent for 2 s is an error that says why.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (;;) {
    if (const auto status = state_->process->try_wait()) {
      const std::string why = last_line(state_->log);
      throw std::runtime_error(fmt::format("{} {}{}", server, describe_wait_status(*status),
                                           why.empty() ? "" : ": " + why));
    }
    try {
      RedisConnection probe(address());
      if (probe.command("PING") == "PONG") return;
    } catch (const std::exception&) {
      // not listening yet
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error(
          fmt::format("{} did not answer on {} within 2 s", server, state_->socket));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

PrivateRedisServer::~PrivateRedisServer() = default;  // kills the server, then removes its files

RedisAddress PrivateRedisServer::address() const {
  RedisAddress a;
  a.socket_path = state_->socket;
  return a;
}

std::shared_ptr<PrivateRedisServer> PrivateRedisServer::shared() {
  static std::mutex mutex;
  static std::weak_ptr<PrivateRedisServer> current;
  const std::lock_guard lock(mutex);
  if (auto server = current.lock()) return server;
  std::shared_ptr<PrivateRedisServer> server(new PrivateRedisServer);
  current = server;
  return server;
}

RedisConnection::RedisConnection(const RedisAddress& address) : where_(address.describe()) {
  const timeval timeout = redis_timeout();
  context_ = address.socket_path.empty()
                 ? redisConnectWithTimeout(address.host.c_str(), address.port, timeout)
                 : redisConnectUnixWithTimeout(address.socket_path.c_str(), timeout);
  if (context_ == nullptr || context_->err != 0) {
    const std::string why = context_ == nullptr ? "out of memory" : context_->errstr;
    if (context_ != nullptr) redisFree(context_);
    throw std::runtime_error(fmt::format("cannot connect to Redis at {}: {}", where_, why));
  }
  if (redisSetTimeout(context_, timeout) != REDIS_OK) {
    redisFree(context_);
    throw std::runtime_error("cannot set a timeout on the Redis connection to " + where_);
  }
  if (!address.password.empty()) {
    try {
      // As words: a password may hold any byte.
      if (address.user.empty()) {
        command_argv({"AUTH", address.password});
      } else {
        command_argv({"AUTH", address.user, address.password});
      }
    } catch (const std::exception& e) {
      redisFree(std::exchange(context_, nullptr));
      throw std::runtime_error(fmt::format("the password was refused: {}", e.what()));
    }
  }
  if (address.db != 0) {
    try {
      command("SELECT %d", address.db);
    } catch (...) {
      redisFree(std::exchange(context_, nullptr));
      throw;
    }
  }
}

RedisConnection::RedisConnection(RedisConnection&& other) noexcept
    : context_(std::exchange(other.context_, nullptr)), where_(std::move(other.where_)) {}

RedisConnection::~RedisConnection() {
  if (context_ != nullptr) redisFree(context_);
}

void* RedisConnection::send(const char* format, ...) {
  va_list args;
  va_start(args, format);
  void* reply = redisvCommand(context_, format, args);
  va_end(args);
  return reply;
}

void RedisConnection::queue(const char* format, ...) {
  va_list args;
  va_start(args, format);
  const int status = redisvAppendCommand(context_, format, args);
  va_end(args);
  if (status != REDIS_OK) check(nullptr);
}

void* RedisConnection::next_reply() {
  void* reply = nullptr;
  if (redisGetReply(context_, &reply) != REDIS_OK) return nullptr;
  return reply;
}

void* RedisConnection::next_sent_reply() {
  void* reply = nullptr;
  for (;;) {
    if (redisGetReplyFromReader(context_, &reply) != REDIS_OK) return nullptr;
    if (reply != nullptr) return reply;
    // A blocking read under the connection's timeout: a server that stopped answering throws.
    if (redisBufferRead(context_) != REDIS_OK) return nullptr;
  }
}

namespace {
struct Words {
  std::vector<const char*> text;
  std::vector<std::size_t> lengths;
  explicit Words(const std::vector<std::string>& words) {
    for (const auto& w : words) {
      text.push_back(w.data());
      lengths.push_back(w.size());
    }
  }
  int count() const { return static_cast<int>(text.size()); }
};
}  // namespace

std::string RedisConnection::command_argv(const std::vector<std::string>& words) {
  Words w(words);
  return take_reply(redisCommandArgv(context_, w.count(), w.text.data(), w.lengths.data()));
}

void RedisConnection::append_argv(const std::vector<std::string>& words) {
  Words w(words);
  if (redisAppendCommandArgv(context_, w.count(), w.text.data(), w.lengths.data()) != REDIS_OK)
    check(nullptr);
}

void RedisConnection::append_formatted(std::string_view resp) {
  if (redisAppendFormattedCommand(context_, resp.data(), resp.size()) != REDIS_OK) check(nullptr);
}

void RedisConnection::flush() {
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(context_, &done) != REDIS_OK) check(nullptr);
  }
}

int RedisConnection::fd() const { return context_->fd; }

void RedisConnection::check(void* reply) {
  if (reply != nullptr) return;
  throw std::runtime_error(fmt::format("Redis at {} does not answer: {}", where_,
                                       context_->errstr[0] != '\0' ? context_->errstr : "?"));
}

namespace {

struct FreeReply {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, FreeReply>;

// A reply that is there, owned; an error reply is thrown as the server's words.
Reply own(void* raw, const std::string& where) {
  Reply reply(static_cast<redisReply*>(raw));
  if (reply->type == REDIS_REPLY_ERROR) {
    throw std::runtime_error(
        fmt::format("Redis at {} says: {}", where, std::string(reply->str, reply->len)));
  }
  return reply;
}

// A reply as text: a bulk or status string, an integer in decimal, "" for nil (or an array).
std::string text_of(const redisReply* r) {
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) return {r->str, r->len};
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  return {};
}

}  // namespace

std::vector<std::string> RedisConnection::take_list(void* raw) {
  check(raw);
  const Reply reply = own(raw, where_);
  std::vector<std::string> items;
  if (reply->type == REDIS_REPLY_ARRAY) {
    for (std::size_t i = 0; i < reply->elements; ++i) items.push_back(text_of(reply->element[i]));
  }
  return items;
}

std::string RedisConnection::take_reply(void* raw) {
  check(raw);
  return text_of(own(raw, where_).get());
}

}  // namespace parbench::ipc
