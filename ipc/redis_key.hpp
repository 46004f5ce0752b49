// One key of this run on a Redis server: the private server (redis_server.hpp) unless --redis names
// one, reached through a connection per thread of each process (connection_cache.hpp), and deleted
// when the object goes, so that nothing is left on a user's server. The key names the host, the
// process and the object: two runs on two hosts sharing a server never touch each other's key.
// What the Redis stop flag and the Redis counter share.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ipc/mechanism_settings.hpp"
#include "ipc/redis_server.hpp"

namespace parbench::ipc {

class RedisKey {
 public:
  // `what` ends the key's name ("stop", "counter").
  RedisKey(const MechanismSettings& settings, const char* what);
  ~RedisKey();
  RedisKey(const RedisKey&) = delete;
  RedisKey& operator=(const RedisKey&) = delete;

  const char* name() const { return name_.c_str(); }
  // Whether this process joined another's key (MechanismSettings::join_key): it then never resets
  // or deletes it.
  bool joined() const { return joined_; }
  JoinPoint join_point() const { return {address_.url(), name_}; }
  // GET of the key as a number; 0 while it is unset.
  std::uint64_t number();
  // The calling thread's connection in this process.
  RedisConnection& connection();

 private:
  std::uint64_t owner_;
  std::shared_ptr<PrivateRedisServer> server_;  // null when the user gave a server
  RedisAddress address_;
  std::string name_;
  bool joined_ = false;
};

// Runnable with --redis URL, or where redis-server is on PATH for a private one.
Availability redis_availability(const MechanismSettings& settings);

}  // namespace parbench::ipc
