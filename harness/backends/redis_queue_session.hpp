// The feeder's hold on one queue (redis_queue.hpp) for as long as it feeds it: the connection, the
// feeder's own heartbeat (workers leave when it expires: a feeder killed outright strands nobody),
// and the removal of every key of the queue at the end, on Ctrl-C too.
#pragma once

#include <memory>
#include <string>

#include "harness/backends/redis_queue.hpp"
#include "ipc/redis_server.hpp"

namespace parbench::queue {

class FeederSession {
 public:
  // Connects (to a private server when `url` is empty), refuses a queue that another feeder holds,
  // and starts the heartbeat. Throws std::runtime_error when the server cannot be reached.
  FeederSession(const std::string& url, const std::string& name, int heartbeat_ms);
  ~FeederSession();  // stops the heartbeat and deletes every key of the queue
  FeederSession(const FeederSession&) = delete;
  FeederSession& operator=(const FeederSession&) = delete;

  const std::string& name() const { return name_; }
  const QueueKeys& keys() const { return keys_; }
  // The URL workers connect with (password included), and the same without it for messages.
  std::string worker_url() const { return address_.url(); }
  std::string where() const { return address_.describe(); }
  ipc::RedisConnection& redis() { return *redis_; }
  // The expiry (key_expiry_ms) that a key the feeder makes gets at once, in ms as text.
  const std::string& expiry_ms() const { return expiry_ms_; }
  // A number for the configuration this call begins, new on this queue: counted up from a random
  // base of this feeder's own. A worker of an earlier feeder of the same queue name may still be
  // running one of its chunks; it knows its configuration by number alone (Message), and were the
  // numbers the same again, it would take this feeder's chunks for its own (the old kernel, size)
  // and push results onto the same-named list. Room for 2^24 configurations a feeder.
  std::uint64_t begin_configuration() { return ++configurations_; }

 private:
  std::string name_;
  QueueKeys keys_;
  std::string expiry_ms_;
  std::shared_ptr<ipc::PrivateRedisServer> server_;  // null for the user's server
  ipc::RedisAddress address_;
  std::unique_ptr<ipc::RedisConnection> redis_;
  std::unique_ptr<ipc::RedisConnection> farewell_;  // written to from the Ctrl-C handler only
  std::uint64_t configurations_;                    // the last number given
  std::unique_ptr<Heartbeat> heartbeat_;
};

}  // namespace parbench::queue
