// The Redis job queue that the redis-queue backend's feeder (redis_queue_backend.cpp) and every
// `parbench worker` (redis_queue_worker.cpp) share: the keys of one queue, what its messages and
// results say, the commands of a chunk's acknowledgement, and the feeder's scripts.
//
// At-least-once delivery: a worker takes a chunk with (B)LMOVE, which moves it from `pending` to
// the worker's own in-flight list in one step, so a chunk is always in exactly one list. Its
// acknowledgement is plain commands, pipelined, no script (append_acknowledgement): push the result
// (RPUSHX: only onto a repetition's list that the feeder made and has not deleted), take the chunk
// off the in-flight list, take the next; one write per chunk (or two chunks), which the worker
// does not wait for. A worker keeps a heartbeat key with a short expiry; the feeder moves the
// in-flight chunks of a worker whose key expired back to `pending`. A chunk done twice (put back,
// and its first worker was alive after all) has two results on the list: the feeder counts the
// first (ResultTally). The worker that reads from RPUSHX's reply that the list may be complete
// rings the repetition's `done` stream, which the feeder waits on.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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
  // list: a head (kResultsHead) the feeder puts first, then "chunk result" (ChunkResult::entry)
  // for each result pushed, a chunk done twice twice
  std::string results(const std::string& round) const { return prefix + "results:" + round; }
  // stream, made empty by the feeder: an entry is a worker's ring
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
  // Whether the beats have stopped on their own (their connection failed): the key expires, and
  // whoever reads it takes its owner for dead.
  bool failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> failed_{false};  // before thread_, which writes it
  std::jthread thread_;
};
// What a worker's heartbeat does at each beat besides its key: puts the worker (back) in the set
// of workers, with the queue's expiry on the set. The feeder forgets a worker whose heartbeat
// expired as it puts its chunks back (kRequeueScript); one that was only slow (stopped, starved)
// lives on and takes chunks again, and were it not in the set, its death would go unseen and those
// chunks never be put back: the repetition would wait forever.
// Only once `joined` (the worker's own first SADD, which goes with its first wait): before, a beat
// would show the feeder a worker that is not waiting yet.
Heartbeat::Also rejoin_workers(const QueueKeys& keys, std::string worker, std::string expiry_ms,
                               const std::atomic<bool>& joined);

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

// The first element of a repetition's results list, pushed by the feeder when it makes the list:
// the list exists before any result, so that a worker pushes with RPUSHX, which never makes a list.
// RPUSHX's reply (the list's length) counts it.
inline constexpr const char* kResultsHead = "results";

// Redis's wire format (RESP) for one command, appended to `out`: a pipeline writes it as it is.
void append_command(std::string& out, std::initializer_list<std::string_view> words);

// A worker's round trip per chunk, no script: appends to `out` the commands that acknowledge
// `message` ("": none) with `entry` (ChunkResult::entry), then, where `take`, the take of the next:
//   RPUSHX results entry        the result (reply: the list's length; 0: the repetition is gone)
//   LREM in-flight 1 message    the chunk is no longer held
//   LMOVE pending in-flight RIGHT LEFT   the next message, or nil
// Returns how many commands it appended (so many replies are due). The worker ends each write that
// takes with append_expiry's PEXPIRE: a take may make the in-flight list anew (the feeder put its
// messages back in between), and a list it makes must expire. The result goes first: a worker
// killed after it has left the chunk in its in-flight list, to be put back and done again (a second
// result, counted once), never a chunk acknowledged without its result.
struct AcknowledgeKeys {
  std::string_view results, in_flight, pending;
};
int append_acknowledgement(std::string& out, const AcknowledgeKeys& keys, std::string_view message,
                           std::string_view entry, bool take);
void append_expiry(std::string& out, std::string_view in_flight, std::string_view expiry_ms);
// Whether RPUSHX's reply `length` says that the list may hold every chunk's result (only then is
// a ring due): at least `chunks` results past the head.
inline bool may_be_complete(long long length, std::uint64_t chunks) {
  return length > 0 && static_cast<std::uint64_t>(length) > chunks;
}
// The ring: an entry on the `done` stream, only where the feeder made it (NOMKSTREAM: a stream of a
// repetition that is gone is not made again).
void append_ring(std::string& out, std::string_view done);

// The feeder's count of one repetition's results, read from its list in pieces (the entries after
// the head, in the order they were pushed): the first result of each chunk counts, a later one
// (the chunk was put back and done again) does not. Complete when every chunk has one.
class ResultTally {
 public:
  explicit ResultTally(std::uint64_t chunks) : first_(chunks, false) {}
  enum class Added { kFirst, kAgain, kMalformed };
  Added add(const std::string& entry);
  std::uint64_t entries_read() const { return read_; }  // results taken in, repeats included
  bool complete() const { return firsts_.size() == first_.size(); }
  // The first result of each chunk, in the order pushed, and the workers of the repeats.
  const std::vector<std::pair<std::uint64_t, ChunkResult>>& firsts() const { return firsts_; }
  const std::vector<std::string>& repeat_workers() const { return repeat_workers_; }

 private:
  std::vector<bool> first_;  // whether each chunk has a result
  std::vector<std::pair<std::uint64_t, ChunkResult>> firsts_;
  std::vector<std::string> repeat_workers_;
  std::uint64_t read_ = 0;
};

// requeue: KEYS in-flight, pending, workers; ARGV worker, "config:rep:" of the running repetition.
// Moves the worker's in-flight messages of that repetition back to the end of `pending` that is
// taken next, drops older ones, forgets the worker. Returns the messages moved.
extern const char* const kRequeueScript;
// remove all: ARGV a SCAN pattern. Deletes every key of the queue.
extern const char* const kRemoveAllScript;
// renew: ARGV the queue's prefix, the expiry in ms. Renews the expiry of the description, the
// running repetition's results and done stream, the workers' set and their in-flight lists.
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
