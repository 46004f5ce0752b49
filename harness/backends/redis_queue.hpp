// The Redis job queue that the redis-queue backend's feeder (redis_queue_backend.cpp) and every
// `parbench worker` (redis_queue_worker.cpp) share: the keys of one queue, what its messages and
// results say, and the server-side scripts that move chunks atomically.
//
// At-least-once delivery: a worker takes a chunk with (B)LMOVE, which moves it from `pending` to
// the worker's own in-flight list in one step, so a chunk is always in exactly one list; the
// worker's acknowledgement stores its result, removes the chunk from that list and takes the next
// one, all in one script: one round trip per chunk, which the worker does not wait for (it runs the
// chunk it took one acknowledgement earlier meanwhile). A worker keeps a heartbeat key with a short
// expiry; the feeder moves the in-flight chunks of a worker whose key expired back to `pending`. A
// chunk done twice is counted once: a bit per chunk says whether it has a result, and the first
// result wins.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "ipc/redis_server.hpp"

namespace parbench {
class Workload;
}

namespace parbench::queue {

// The keys of queue NAME: parbench:queue:NAME:*, so that one SCAN pattern finds all of them.
struct QueueKeys {
  explicit QueueKeys(const std::string& name) : prefix("parbench:queue:" + name + ":") {}
  std::string prefix;
  std::string pattern() const { return prefix + "*"; }
  std::string description() const { return prefix + "description"; }  // hash: what to run
  std::string feeder() const { return prefix + "feeder"; }            // the feeder's heartbeat
  std::string current() const { return prefix + "current"; }          // "config:rep" being run
  std::string pending() const { return prefix + "pending"; }          // list of messages
  std::string workers() const { return prefix + "workers"; }          // set of worker ids
  std::string heartbeat(const std::string& worker) const { return prefix + "heartbeat:" + worker; }
  std::string in_flight(const std::string& worker) const { return prefix + "in-flight:" + worker; }
  // list of "chunk result" (ChunkResult::entry), one per chunk
  std::string results(const std::string& round) const { return prefix + "results:" + round; }
  // bitmap: the chunks with a result
  std::string seen(const std::string& round) const { return prefix + "seen:" + round; }
  std::string done(const std::string& round) const { return prefix + "done:" + round; }
};

// Letters, digits, '.', '_' and '-': a name that is also a safe SCAN pattern. Empty when valid,
// else why not.
inline std::string check_queue_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return "a queue name has 1 to 64 characters";
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    // The name is not quoted: a line break in it would split the one line of the message.
    if (!ok) return "a queue name has letters, digits, '.', '_' and '-' only";
  }
  return {};
}

// What a configuration runs, written by the feeder for workers that know nothing else: a worker
// takes the kernel and its parameters from here, never from its own command line.
struct Description {
  std::string version;  // parbench's; a worker of another version refuses the queue
  std::string kernel;
  // The kernel's options (Workload::cli_args), and those that join its mechanism
  // (Mechanism::join_args).
  std::vector<std::string> args;
  std::uint64_t size = 0;
  std::uint64_t chunk = 1;  // items per message
  std::uint64_t config = 0;
  int heartbeat_ms = 1000;  // the expiry of a worker's heartbeat key
  int threads = 1;          // the configuration's workers, for a workload sized by them (count)

  std::vector<std::string> fields() const;  // HSET field value ...
  // From HGETALL's reply; throws std::runtime_error when a field is missing or malformed.
  static Description parse(const std::vector<std::string>& hgetall);
};

// Every other key of a queue expires too, so that nothing outlives a feeder killed outright, even
// with no worker left to remove its keys: the feeder renews them with each of its heartbeats
// (kRenewScript), and gives each key it makes the expiry at once. Long beside a heartbeat: a beat
// that comes late must not lose a live queue's keys.
inline int key_expiry_ms(int heartbeat_ms) { return std::max(30000, 10 * heartbeat_ms); }

// The server's URL stays out of a description: it may hold a password, and a worker on another
// host may reach the server by another name. The feeder drops "--redis URL" from the arguments and
// writes kQueueServer for the mechanism's --join-url; a worker puts there the URL it reached the
// queue with (a mechanism on a server is always on the queue's).
inline constexpr const char* kQueueServer = "@queue";
std::vector<std::string> without_server(const std::vector<std::string>& args);
std::vector<std::string> with_server(std::vector<std::string> args, const std::string& url);

// A key that says a process is alive: set with an expiry `expiry_ms` four times per expiry, on a
// connection of its own, until the object goes (the key is then deleted) or the process dies (the
// key then expires). The feeder keeps one (its workers leave when it is gone), and so does every
// worker (its chunks go to others when it is gone). `also` runs on that connection after each
// beat (the feeder renews its queue's keys there).
class Heartbeat {
 public:
  using Also = std::function<void(ipc::RedisConnection&)>;
  Heartbeat(const ipc::RedisAddress& address, std::string key, int expiry_ms, Also also = {});

 private:
  std::jthread thread_;
};

// One chunk of one repetition: "config:rep:chunk".
struct Message {
  std::uint64_t config = 0;
  std::uint64_t rep = 0;
  std::uint64_t chunk = 0;
  std::string round() const;  // "config:rep", the suffix of that repetition's keys
  std::string text() const;
  static std::optional<Message> parse(const std::string& text);
};

// A chunk's result as stored by the worker that finished it first.
struct ChunkResult {
  std::string worker;
  std::uint64_t value = 0;
  std::uint64_t items = 0;  // processed (fewer where the worker stopped early)
  double busy_s = 0.0;
  double cpu_s = 0.0;
  std::string text() const;
  static std::optional<ChunkResult> parse(const std::string& text);
  // "chunk text", an element of the results list
  std::string entry(std::uint64_t chunk) const;
  static std::optional<std::pair<std::uint64_t, ChunkResult>> parse_entry(const std::string& entry);
};

// acknowledge and take, a worker's one round trip per chunk: KEYS results, in-flight, done,
// current, pending, seen; ARGV chunk, its result's entry (ChunkResult::entry), chunks, message ("":
// none to acknowledge), round, the in-flight list's expiry in ms ("0": take none).
// Moves the next message from `pending` to the in-flight list (LMOVE: a script cannot wait) unless
// told not to. Then stores the result unless the chunk's bit in `seen` is set (the first wins),
// takes the message off the in-flight list, and rings `done` once every chunk has a result. A late
// acknowledgement of a finished repetition only leaves the in-flight list. The results, `seen`
// and `done` take `current`'s expiry when they are made (the feeder's beats renew it). Returns
// the message taken; nil if none.
extern const char* const kAcknowledgeScript;
// requeue: KEYS in-flight, pending, workers; ARGV worker, "config:rep:" of the running repetition.
// Moves the worker's in-flight messages of that repetition back to the end of `pending` that is
// taken next, drops older ones, forgets the worker. Returns the messages moved.
extern const char* const kRequeueScript;
// remove all: ARGV a SCAN pattern. Deletes every key of the queue.
extern const char* const kRemoveAllScript;
// renew: ARGV the queue's prefix, the expiry in ms. Renews the expiry of the description, the
// running repetition's keys, the workers' set and their in-flight lists.
extern const char* const kRenewScript;

// `parbench worker`: joins queue `name` on the server at `url`, waiting up to `wait_s` for its
// feeder, and takes chunks until the feeder is gone. `make` builds the workload from the queue's
// description. Returns when the feeder has gone; throws UsageError for a queue of another parbench
// version, std::runtime_error when the server fails.
struct WorkerOptions {
  std::string url;
  std::string name;
  double wait_s = 60.0;
};
using WorkloadMaker = std::function<std::shared_ptr<const Workload>(
    const std::string& kernel, const std::vector<std::string>& args)>;
void serve_queue(const WorkerOptions& options, const WorkloadMaker& make);

}  // namespace parbench::queue
