// `parbench worker`: one worker of a redis-queue run, on this host or any other. It knows only the
// server and the queue's name; the kernel and its parameters come from the queue's description.
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <deque>
#include <optional>
#include <random>
#include <string_view>
#include <thread>
#include <utility>

#include "harness/backends/mechanism.hpp"
#include "harness/backends/redis_queue.hpp"
#include "harness/backends/schedule.hpp"
#include "harness/backends/workload.hpp"
#include "harness/records/clock.hpp"
#include "harness/records/errors.hpp"
#include "harness/records/version.hpp"
#include "ipc/redis_server.hpp"

namespace parbench::queue {
namespace {

// How long a worker blocks on an empty queue before it looks whether its feeder is still there.
constexpr const char* kTakeTimeout_s = "0.2";
// Chunks shorter than this are acknowledged two to a write (take_chunks).
constexpr double kShortChunk_s = 0.002;

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string worker_id() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return fmt::format("{}/{}/{:04x}", host, getpid(), std::random_device{}() & 0xffff);
}

class QueueWorker {
 public:
  QueueWorker(const WorkerOptions& options, WorkloadMaker make)
      : address_(ipc::parse_redis_url(options.url)),
        redis_(address_),
        keys_(options.name),
        make_(std::move(make)),
        id_(worker_id()),
        in_flight_(keys_.in_flight(id_)),
        heartbeat_key_(keys_.heartbeat(id_)) {
    wait_for_feeder(options);
    load_description();
  }
  ~QueueWorker() { leave_mechanism(); }
  QueueWorker(const QueueWorker&) = delete;
  QueueWorker& operator=(const QueueWorker&) = delete;

  void serve() {
    // The heartbeat exists before the worker is in the set: the feeder never sees a member
    // without one and takes it for dead. Each beat puts it back (rejoin_workers): the feeder
    // forgets a worker whose heartbeat expired, and this one may only have been slow.
    {
      const Heartbeat heartbeat(address_, heartbeat_key_, description_.heartbeat_ms,
                                rejoin_workers(keys_, id_, expiry_ms_, joined_));
      while (redis_.command("EXISTS %s", heartbeat_key_.c_str()) != "1")
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      take_chunks(heartbeat);
    }  // the heartbeat stops and its key goes
    redis_.command("SREM %s %s", keys_.workers().c_str(), id_.c_str());
    // A feeder killed outright left its keys behind; the last of its workers removes them.
    if (redis_.command("EXISTS %s", keys_.feeder().c_str()) == "0")
      redis_.command("EVAL %s 0 %s", kRemoveAllScript, keys_.pattern().c_str());
  }

 private:
  void wait_for_feeder(const WorkerOptions& options) {
    const double deadline = monotonic_s() + options.wait_s;
    // Both keys, in one round trip.
    while (redis_.command("EXISTS %s %s", keys_.feeder().c_str(), keys_.description().c_str()) !=
           "2") {
      if (monotonic_s() > deadline) {
        throw std::runtime_error(fmt::format("no feeder on queue {} at {} within {:.0f} s",
                                             options.name, address_.describe(), options.wait_s));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  void load_description() {
    // The version first: another version's description may not even parse.
    const std::string version = redis_.command("HGET %s version", keys_.description().c_str());
    if (version != parbench_version()) {
      throw UsageError(fmt::format("queue {} is fed by parbench {}, and this is parbench {}",
                                   keys_.prefix, version, parbench_version()));
    }
    description_ =
        Description::parse(redis_.command_list("HGETALL %s", keys_.description().c_str()));
    leave_mechanism();
    work_ = make_(description_.kernel, with_server(description_.args, address_.url()));
    if (auto sized = work_->for_threads(description_.threads)) work_ = std::move(sized);
    if (work_->size() != description_.size) {
      throw UsageError(fmt::format("the queue's {} has {} items, and this worker makes {}",
                                   description_.kernel, description_.size, work_->size()));
    }
    chunks_ = chunk_count(description_.size, description_.chunk);
    expiry_ms_ = std::to_string(key_expiry_ms(description_.heartbeat_ms));
    // The owner's mechanism, joined (Mechanism::join_args): made here, never reset or finished.
    if (Mechanism* m = work_->mechanism()) {
      m->make();
      mechanism_ = m;
    }
  }
  void leave_mechanism() noexcept {
    if (mechanism_ != nullptr) mechanism_->release();
    mechanism_ = nullptr;
  }

  // Takes, runs and acknowledges chunks until the feeder has gone. A chunk costs one call (the
  // plain commands of append_acknowledgement), and the worker does not wait for it: the call that
  // acknowledges chunk k takes one the worker runs later, while it runs those taken before. A chunk
  // longer than kShortChunk_s is acknowledged at once, and the worker holds at most two chunks (the
  // one it runs and one taken ahead): what a round trip costs is small beside it, and a chunk held
  // ahead is one another worker cannot take. Shorter chunks go two calls to a write, and the worker
  // keeps three taken ahead so that each reply it reads was sent a chunk earlier: each write wakes
  // the server once, and that wakeup's time falls on the worker's CPU (docs/architecture.md), so a
  // chunk then costs half a wakeup. Only a worker that holds nothing and expects nothing waits
  // (BLMOVE): a pipelined take must not block, and Redis runs one client's commands in order, so a
  // wait in front of an acknowledgement would hold that back, the last one of a repetition
  // included; and every reply is read before it waits, since the last result's length may call for
  // a ring.
  void take_chunks(const Heartbeat& heartbeat) {
    for (;;) {
      // A worker without beats is taken for dead and its chunks put back; working on unwatched,
      // a death of its own would go unseen and the feeder wait forever for what it held.
      if (heartbeat.failed())
        throw std::runtime_error("its heartbeat's connection to the server failed");
      if (held_.empty()) {
        if (takes_due_ > 0) {
          receive_take();
          continue;
        }
        if (!due_.empty()) {  // a result's length, say: a ring may be due before any wait
          settle();
          continue;
        }
        if (!take_waiting()) {  // nothing to take: is there still a feeder?
          if (redis_.command("EXISTS %s", keys_.feeder().c_str()) == "0") return;
        }
        continue;
      }
      const std::string text = held_.front();
      std::optional<Message> m = Message::parse(text);
      if (!m || m->config != description_.config || m->chunk >= chunks_) {
        settle();  // every reply in: what follows reads the server in turn
        if (m && m->config != description_.config) load_description();
        if (!m || m->config != description_.config || m->chunk >= chunks_) {
          redis_.command("LREM %s 1 %s", in_flight_.c_str(), text.c_str());
          held_.pop_front();  // of no run now
        }
        continue;
      }
      if (held_.size() == 1 && takes_due_ == 0) {  // the first chunk: take the next now
        queue_call(*m, text, nullptr, true);
        send_queued();
      }
      const ChunkResult r = run_chunk(m->chunk);
      held_.pop_front();
      const bool short_chunk = r.busy_s < kShortChunk_s;
      // Chunks held or replies due (each may bring one) after this call: 2, or 3 for short ones.
      const std::size_t keep = short_chunk ? 3 : 2;
      queue_call(*m, text, &r, held_.size() + takes_due_ < keep);
      while (held_.size() + takes_due_ < keep)  // a take alone (once, as short chunks begin)
        queue_call(*m, text, nullptr, true);
      if (!short_chunk || queued_ >= 2) send_queued();
    }
  }

  // Queues the acknowledgement of chunk `m` (message `text`) with result `r` (none: only the
  // take), taking the next message where `take`; sent with the next send_queued(), its replies are
  // due in order. The commands are written here as the server reads them, into a buffer kept from
  // call to call, with the keys of the running repetition made once: formatting them through
  // hiredis and making them as strings cost the worker 24k instructions a chunk (callgrind), on
  // its own CPU, between two chunks.
  void queue_call(const Message& m, const std::string& text, const ChunkResult* r, bool take) {
    if (results_round_ != std::pair{m.config, m.rep}) {
      results_key_ = keys_.results(m.round());
      results_round_ = {m.config, m.rep};
    }
    if (r != nullptr) entry_ = r->entry(m.chunk);
    const int commands = append_acknowledgement(
        call_, {results_key_, in_flight_, pending_key_},
        r != nullptr ? std::string_view(text) : std::string_view(), entry_, take);
    if (r != nullptr) {
      due_.push_back({Due::kPushed, m.config, m.rep, chunks_});
      due_.push_back({Due::kOther});
    }
    if (take) {
      due_.push_back({Due::kTaken});
      ++takes_due_;
      write_takes_ = true;
    }
    unsent_ += static_cast<std::size_t>(commands);
    ++queued_;
  }
  // Sends the queued calls in one write, ending it with the in-flight list's expiry where it takes
  // (append_acknowledgement says why).
  void send_queued() {
    if (unsent_ == 0) return;
    if (write_takes_) {
      append_expiry(call_, in_flight_, expiry_ms_);
      due_.push_back({Due::kOther});
      ++unsent_;
    }
    redis_.append_formatted(call_);
    redis_.flush();
    call_.clear();
    unsent_ = 0;
    queued_ = 0;
    write_takes_ = false;
  }
  // Reads the oldest reply due (sending the queued calls first where it is one of theirs): a
  // message taken is held; a result's length that says the list may be complete rings `done`.
  void receive_one() {
    if (due_.size() == unsent_) send_queued();
    const Due due = due_.front();
    due_.pop_front();
    std::string text = redis_.sent_reply();
    if (due.kind == Due::kTaken) {
      --takes_due_;
      if (!text.empty()) held_.push_back(std::move(text));
    } else if (due.kind == Due::kPushed && may_be_complete(std::stoll(text), due.chunks)) {
      // A write of its own, at once: the feeder waits for it, and it comes once a repetition (or
      // once more for each repeated result past the count).
      append_ring(call_, keys_.done(Message{due.config, due.rep, 0}.round()));
      due_.push_back({Due::kOther});
      ++unsent_;
      send_queued();
    }
  }
  // The oldest take's reply, and every reply before it.
  void receive_take() {
    const std::size_t takes = takes_due_;
    while (takes_due_ == takes) receive_one();
  }
  void settle() {
    send_queued();
    while (!due_.empty()) receive_one();
  }
  // With nothing held and no reply due: waits up to kTakeTimeout_s for a message. False when the
  // queue stayed empty. The worker joins the set of workers in the same write as its first wait:
  // Redis runs one client's commands in a row, so a feeder that sees it joined finds it already
  // waiting, and the first chunks go one to each waiting worker (joined apart, an early worker
  // could take its first chunk and the next one ahead before the last had begun to wait).
  bool take_waiting() {
    const bool join = !joined_.load(std::memory_order_relaxed);
    if (join) redis_.append("SADD %s %s", keys_.workers().c_str(), id_.c_str());
    redis_.append("BLMOVE %s %s RIGHT LEFT %s", keys_.pending().c_str(), in_flight_.c_str(),
                  kTakeTimeout_s);
    // A list that a take makes expires like the feeder's keys (key_expiry_ms), which the feeder
    // renews: nothing is left when everyone was killed outright.
    redis_.append("PEXPIRE %s %s", in_flight_.c_str(), expiry_ms_.c_str());
    if (join) {
      redis_.reply();
      joined_.store(true, std::memory_order_release);  // the heartbeat keeps it in the set now
    }
    std::string text = redis_.reply();
    redis_.reply();
    if (text.empty()) return false;
    held_.push_back(std::move(text));
    return true;
  }

  ChunkResult run_chunk(std::uint64_t chunk) const {
    const Slice slice = chunk_slice(description_.size, description_.chunk, chunk);
    ChunkResult r;
    r.worker = id_;
    const double cpu0 = thread_cpu_s();
    const double t0 = monotonic_s();
    r.value = work_->run_slice_counted(slice.begin, slice.end, r.items);
    r.busy_s = monotonic_s() - t0;
    r.cpu_s = thread_cpu_s() - cpu0;
    return r;
  }

  ipc::RedisAddress address_;
  ipc::RedisConnection redis_;
  QueueKeys keys_;
  WorkloadMaker make_;
  std::string id_;
  std::string in_flight_;      // this worker's in-flight list
  std::string heartbeat_key_;  // and its heartbeat
  Description description_;
  std::shared_ptr<const Workload> work_;
  Mechanism* mechanism_ = nullptr;  // work_'s, made
  std::uint64_t chunks_ = 0;
  std::string expiry_ms_;
  std::atomic<bool> joined_{false};  // in the set of workers (read by the heartbeat's thread)
  std::deque<std::string> held_;     // messages taken and not yet acknowledged, in order
  // The replies due on the connection, in order: of a take, of a result's push (its repetition and
  // chunk count, for the ring), or of anything else.
  struct Due {
    enum Kind { kTaken, kPushed, kOther } kind;
    std::uint64_t config = 0, rep = 0, chunks = 0;
  };
  std::deque<Due> due_;
  std::size_t takes_due_ = 0;  // of those, takes
  std::size_t unsent_ = 0;     // of those, the last ones: commands queued and not sent yet
  std::size_t queued_ = 0;     // calls queued and not sent yet
  bool write_takes_ = false;   // whether a queued call takes
  // queue_call's: the key of the repetition last acknowledged, and its buffers
  std::optional<std::pair<std::uint64_t, std::uint64_t>> results_round_;  // config, rep
  std::string results_key_;
  std::string pending_key_ = keys_.pending();
  std::string entry_;
  std::string call_;
};

}  // namespace

void serve_queue(const WorkerOptions& options, const WorkloadMaker& make) {
  QueueWorker(options, make).serve();
}

}  // namespace parbench::queue
