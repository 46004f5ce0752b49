#include "harness/backends/redis_queue_session.hpp"

#include <fmt/format.h>

#include <random>
#include <stdexcept>

#include "ipc/cleanup.hpp"

namespace parbench::queue {

FeederSession::FeederSession(const std::string& url, const std::string& name, int heartbeat_ms)
    : name_(name),
      keys_(name),
      expiry_ms_(std::to_string(key_expiry_ms(heartbeat_ms))),
      configurations_(std::uint64_t{std::random_device{}()} << 24) {
  if (url.empty()) {
    server_ = ipc::PrivateRedisServer::shared();
    address_ = server_->address();
  } else {
    address_ = ipc::parse_redis_url(url);
  }
  redis_ = std::make_unique<ipc::RedisConnection>(address_);
  farewell_ = std::make_unique<ipc::RedisConnection>(address_);
  // SET NX: two feeders on one queue would hand each other's chunks out.
  const std::string px = std::to_string(heartbeat_ms);
  if (redis_->command("SET %s 1 NX PX %s", keys_.feeder().c_str(), px.c_str()) != "OK") {
    throw std::runtime_error(
        fmt::format("queue {} on {} is already fed by another parbench", name_, where()));
  }
  redis_->command("EVAL %s 0 %s", kRemoveAllScript, keys_.pattern().c_str());
  redis_->command("SET %s 1 PX %s", keys_.feeder().c_str(), px.c_str());
  // In the server's wire format (RESP), written as it is from a signal handler.
  std::string farewell;
  append_command(farewell, {"EVAL", kRemoveAllScript, "0", keys_.pattern()});
  ipc::register_farewell(farewell_->fd(), farewell);
  // Each beat renews the expiry of the queue's other keys too: they go when the feeder has gone.
  heartbeat_ = std::make_unique<Heartbeat>(
      address_, keys_.feeder(), heartbeat_ms,
      [prefix = keys_.prefix, expiry = expiry_ms_](ipc::RedisConnection& beat) {
        beat.command("EVAL %s 0 %s %s", kRenewScript, prefix.c_str(), expiry.c_str());
      });
}

FeederSession::~FeederSession() {
  heartbeat_.reset();  // stopped and joined: no beat after the keys are gone
  ipc::unregister_farewell(farewell_->fd());
  try {
    redis_->command("EVAL %s 0 %s", kRemoveAllScript, keys_.pattern().c_str());
  } catch (const std::exception&) {
    // The server is gone, and the keys with it.
  }
}

}  // namespace parbench::queue
