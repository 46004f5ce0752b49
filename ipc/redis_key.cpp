#include "ipc/redis_key.hpp"

#include <hiredis/hiredis.h>
#include <unistd.h>

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

#include "ipc/connection_cache.hpp"

namespace parbench::ipc {

RedisKey::RedisKey(const MechanismSettings& settings, const char* what)
    : owner_(new_connection_owner()) {
  if (settings.redis_url.empty()) {
    server_ = PrivateRedisServer::shared();
    address_ = server_->address();
  } else {
    address_ = parse_redis_url(settings.redis_url);
  }
  joined_ = !settings.join_key.empty();
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  name_ = joined_ ? settings.join_key
                  : fmt::format("parbench:{}:{}:{}:{}", host, getpid(), owner_, what);
}

RedisKey::~RedisKey() {
  if (joined_) return;  // the owner's to delete
  try {
    connection().command("DEL %s", name_.c_str());
  } catch (const std::exception&) {
    // the server is gone; nothing to clean
  }
}

std::uint64_t RedisKey::number() {
  const std::string text = connection().command("GET %s", name_.c_str());
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

RedisConnection& RedisKey::connection() {
  return thread_connection<RedisConnection>(owner_, [this] { return RedisConnection(address_); });
}

Availability redis_availability(const MechanismSettings& settings) {
  if (!settings.redis_url.empty()) {
    try {  // described without its password
      return {true, "the server at " + parse_redis_url(settings.redis_url).describe()};
    } catch (const std::invalid_argument& e) {
      return {false, e.what()};
    }
  }
  const std::string server = find_redis_server();
  if (server.empty())
    return {false, "redis-server not found on PATH; --redis URL uses a running server"};
  return {true, fmt::format("hiredis {}.{}.{}, private {} or --redis URL", HIREDIS_MAJOR,
                            HIREDIS_MINOR, HIREDIS_PATCH, server)};
}

}  // namespace parbench::ipc
