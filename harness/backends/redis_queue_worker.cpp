// `parbench worker`: one worker of a redis-queue run, on this host or any other. It knows only the
// server and the queue's name; the kernel and its parameters come from the queue's description.
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <random>
#include <string_view>
#include <thread>

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
    ack_sha_ = redis_.command("SCRIPT LOAD %s", kAcknowledgeScript);
  }
  ~QueueWorker() { leave_mechanism(); }
  QueueWorker(const QueueWorker&) = delete;
  QueueWorker& operator=(const QueueWorker&) = delete;

  void serve() {
    // The heartbeat exists before the worker is in the set: the feeder never sees a member
    // without one and takes it for dead.
    {
      const Heartbeat heartbeat(address_, heartbeat_key_, description_.heartbeat_ms);
      while (redis_.command("EXISTS %s", heartbeat_key_.c_str()) != "1")
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      redis_.command("SADD %s %s", keys_.workers().c_str(), id_.c_str());
      take_chunks();
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
    chunks_text_ = std::to_string(chunks_);
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

  // Takes, runs and acknowledges chunks until the feeder has gone. A chunk costs one script call
  // (kAcknowledgeScript), and the worker does not wait for it: the call that acknowledges chunk k
  // takes one the worker runs later, while it runs those taken before. A chunk longer than
  // kShortChunk_s is acknowledged at once, and the worker holds at most two chunks (the one it
  // runs and one taken ahead): what a round trip costs is small beside it, and a chunk held ahead
  // is one another worker cannot take. Shorter chunks go two calls to a write, and the worker keeps
  // three taken ahead so that each reply it reads was sent a chunk earlier: each write wakes the
  // server once, and that wakeup's time falls on the worker's CPU (docs/architecture.md), so a
  // chunk then costs half a wakeup. Only a worker that holds nothing and expects nothing waits
  // (BLMOVE): a script cannot, and Redis runs one client's commands in order, so a wait in front
  // of an acknowledgement would hold that back, the last one of a repetition included.
  void take_chunks() {
    for (;;) {
      if (held_.empty()) {
        if (takes_due_ > 0) {
          receive_take();
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

  // Queues kAcknowledgeScript for chunk `m` (message `text`) with result `r` (none: only the
  // take), taking the next message where `take`; sent with the next send_queued(), its reply is a
  // take's, due in order. The command is written here as the server reads it, into a buffer kept
  // from call to call, with the keys of the running repetition made once: formatting 16 words
  // through hiredis and making them as strings cost the worker 24k instructions a chunk
  // (callgrind), on its own CPU, between two chunks.
  void queue_call(const Message& m, const std::string& text, const ChunkResult* r, bool take) {
    if (!round_keys_made_ || m.config != round_keys_config_ || m.rep != round_keys_rep_) {
      const std::string round = m.round();
      round_ = round;
      results_key_ = keys_.results(round);
      done_key_ = keys_.done(round);
      seen_key_ = keys_.seen(round);
      round_keys_config_ = m.config;
      round_keys_rep_ = m.rep;
      round_keys_made_ = true;
    }
    call_.clear();
    call_words_ = 0;
    for (const std::string_view word :
         {std::string_view("EVALSHA"), std::string_view(ack_sha_), std::string_view("6"),
          std::string_view(results_key_), std::string_view(in_flight_), std::string_view(done_key_),
          std::string_view(current_key_), std::string_view(pending_key_),
          std::string_view(seen_key_)})
      add_word(word);
    char chunk[24];
    const auto end = std::to_chars(chunk, chunk + sizeof chunk, m.chunk).ptr;
    add_word(std::string_view(chunk, static_cast<std::size_t>(end - chunk)));
    add_word(r != nullptr ? std::string_view(r->entry(m.chunk)) : std::string_view());
    add_word(chunks_text_);
    add_word(r != nullptr ? std::string_view(text) : std::string_view());
    add_word(round_);
    add_word(take ? std::string_view(expiry_ms_) : std::string_view("0"));
    call_.insert(0, fmt::format("*{}\r\n", call_words_));  // how many words, ahead of them
    redis_.append_formatted(call_);
    ++takes_due_;
    ++queued_;
  }
  void add_word(std::string_view word) {
    ++call_words_;
    char length[24];  // to_chars, not fmt: a format string parsed per word was a third of the call
    const auto end = std::to_chars(length, length + sizeof length, word.size()).ptr;
    call_ += '$';
    call_.append(length, end);
    call_ += "\r\n";
    call_ += word;
    call_ += "\r\n";
  }
  void send_queued() {
    if (queued_ == 0) return;
    redis_.flush();
    queued_ = 0;
  }
  // The oldest reply due: a message taken, held; or nil. Queued calls stay queued unless that
  // reply is one of theirs.
  void receive_take() {
    if (takes_due_ == queued_) send_queued();
    --takes_due_;
    std::string text = redis_.sent_reply();
    if (!text.empty()) held_.push_back(std::move(text));
  }
  void settle() {
    send_queued();
    while (takes_due_ > 0) receive_take();
  }
  // With nothing held and no reply due: waits up to kTakeTimeout_s for a message. False when the
  // queue stayed empty.
  bool take_waiting() {
    redis_.append("BLMOVE %s %s RIGHT LEFT %s", keys_.pending().c_str(), in_flight_.c_str(),
                  kTakeTimeout_s);
    // A list that a take makes expires like the feeder's keys (key_expiry_ms), which the feeder
    // renews: nothing is left when everyone was killed outright.
    redis_.append("PEXPIRE %s %s", in_flight_.c_str(), expiry_ms_.c_str());
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
  std::string ack_sha_;
  Description description_;
  std::shared_ptr<const Workload> work_;
  Mechanism* mechanism_ = nullptr;  // work_'s, made
  std::uint64_t chunks_ = 0;
  std::string expiry_ms_;
  std::deque<std::string> held_;  // messages taken and not yet acknowledged, in order
  std::size_t takes_due_ = 0;     // acknowledge-and-take replies still due on the connection
  std::size_t queued_ = 0;        // of those, the calls not sent yet
  // queue_call's: the keys of the repetition last acknowledged, and its buffer
  bool round_keys_made_ = false;
  std::uint64_t round_keys_config_ = 0, round_keys_rep_ = 0;
  std::string round_, results_key_, done_key_, seen_key_;
  std::string current_key_ = keys_.current(), pending_key_ = keys_.pending();
  std::string chunks_text_;
  std::string call_;
  std::size_t call_words_ = 0;
};

}  // namespace

void serve_queue(const WorkerOptions& options, const WorkloadMaker& make) {
  QueueWorker(options, make).serve();
}

}  // namespace parbench::queue
