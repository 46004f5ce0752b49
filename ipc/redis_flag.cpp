// redis: the book's Redis flag. A key on a Redis server, read with GET at every check and lowered
// with DEL; a raise keeps the smallest factor with one server-side script, so that two workers
// raising at once cannot lose the smaller value. Without --redis URL the server is a private one
// (redis_server.hpp). Each thread of each process has its own connection (connection_cache.hpp).
#include <hiredis/hiredis.h>
#include <unistd.h>

#include <fmt/format.h>
#include <charconv>
#include <stdexcept>

#include "ipc/connection_cache.hpp"
#include "ipc/redis_server.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

// SET only when the key is unset or holds a larger number. Compared as decimal strings (shorter is
// smaller), because Lua's numbers are doubles and would round 64-bit values.
constexpr const char* kRaiseToMin =
    "local v = redis.call('GET', KEYS[1]) "
    "if (not v) or #ARGV[1] < #v or (#ARGV[1] == #v and ARGV[1] < v) then "
    "redis.call('SET', KEYS[1], ARGV[1]) end return 1";

class RedisFlag final : public StopFlag {
 public:
  explicit RedisFlag(const StopFlagSettings& settings) {
    if (settings.redis_url.empty()) {
      server_ = PrivateRedisServer::shared();
      address_ = server_->address();
    } else {
      address_ = parse_redis_url(settings.redis_url);
    }
    // Unique on a shared server too: two parbench runs on two hosts never touch each other's key.
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    key_ = fmt::format("parbench:{}:{}:{}:stop", host, getpid(), owner_);
    reset();  // reaches the server now: an unreachable one fails before anything runs
  }
  ~RedisFlag() override {
    try {
      connection().command("DEL %s", key_.c_str());  // leave nothing on the user's server
    } catch (const std::exception&) {
      // the server is gone; nothing to clean
    }
  }
  RedisFlag(const RedisFlag&) = delete;
  RedisFlag& operator=(const RedisFlag&) = delete;

  void raise(std::uint64_t value) override {
    const std::string text = std::to_string(value);
    connection().command("EVAL %s 1 %s %s", kRaiseToMin, key_.c_str(), text.c_str());
  }
  std::uint64_t value() override {
    const std::string text = connection().command("GET %s", key_.c_str());
    std::uint64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
  }
  void reset() override { connection().command("DEL %s", key_.c_str()); }

 private:
  RedisConnection& connection() {
    return thread_connection<RedisConnection>(owner_, [this] { return RedisConnection(address_); });
  }

  std::uint64_t owner_ = new_connection_owner();
  std::shared_ptr<PrivateRedisServer> server_;  // null when the user gave a server
  RedisAddress address_;
  std::string key_;
};

FlagAvailability redis_availability(const StopFlagSettings& settings) {
  if (!settings.redis_url.empty()) return {true, "the server at " + settings.redis_url};
  const std::string server = find_redis_server();
  if (server.empty())
    return {false, "redis-server not found on PATH; --redis URL uses a running server"};
  return {true, fmt::format("hiredis {}.{}.{}, private {} or --redis URL", HIREDIS_MAJOR,
                            HIREDIS_MINOR, HIREDIS_PATCH, server)};
}

}  // namespace

StopFlagVariant redis_flag_variant() {
  return {.name = "redis",
          .summary = "GET of a key on a Redis server per check, hiredis (the book's Redis flag)",
          .need = Need::kMadeBeforeStart,
          .create = make_flag<RedisFlag>,
          .availability = redis_availability};
}

}  // namespace parbench::ipc
