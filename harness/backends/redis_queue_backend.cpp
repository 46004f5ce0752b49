// redis-queue: the job queue of the book's clusters chapter (NSQ there) on a real broker. The
// feeder (this process) puts every chunk of a repetition on a Redis list; `parbench worker`
// processes, started here or by users on any host, take chunks, run them and acknowledge their
// results (redis_queue.hpp has the protocol). A worker that dies loses nothing: its heartbeat
// expires and the feeder puts its chunks back. That is what MPI cannot do, and what it costs is
// what this backend measures: a Redis round trip per chunk, and the time a death loses.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "harness/backends/backend_options.hpp"
#include "harness/backends/mechanism.hpp"
#include "harness/backends/queue_settings.hpp"
#include "harness/backends/redis_queue.hpp"
#include "harness/backends/redis_queue_session.hpp"
#include "harness/backends/registry.hpp"
#include "harness/backends/run_length.hpp"
#include "harness/records/clock.hpp"
#include "harness/records/csv_format.hpp"
#include "harness/records/errors.hpp"
#include "harness/records/version.hpp"
#include "ipc/child_process.hpp"
#include "ipc/redis_key.hpp"

namespace parbench::backends {
namespace {

using queue::ChunkResult;
using queue::FeederSession;
using queue::Message;
using queue::ResultTally;

// How often the feeder looks at the heartbeats while it waits for a repetition to finish.
constexpr double kCheckEvery_s = 0.05;
// How long workers started here may take to start and join.
constexpr double kLocalJoin_s = 30.0;

// The user's --queue, or a name of its own.
std::string queue_name(const QueueSettings& o) {
  return o.queue.empty() ? fmt::format("run-{:08x}", std::random_device{}()) : o.queue;
}

// "host/pid/tag" (redis_queue_worker.cpp): the host the worker runs on.
std::string host_of(const std::string& worker) { return worker.substr(0, worker.find('/')); }

// With --external-workers the queue outlives a configuration: workers that users started stay
// connected from one configuration to the next, until parbench ends.
std::shared_ptr<FeederSession> lasting_session(const QueueSettings& o) {
  static std::shared_ptr<FeederSession> session;
  if (!session) {
    session = std::make_shared<FeederSession>(o.redis_url, queue_name(o), o.heartbeat_ms);
  }
  return session;
}

class RedisQueueBackend final : public Backend, public TakesSettings<QueueSettings> {
 public:
  ~RedisQueueBackend() override { stop(); }

  void start(const Workload& work, int workers, const Schedule& schedule) override {
    work_ = &work;
    chunk_ = std::max<std::uint64_t>(1, schedule.chunk);
    expected_ = static_cast<std::size_t>(workers);
    const bool external = settings_.external_workers;
    session_ = external ? lasting_session(settings_)
                        : std::make_shared<FeederSession>(
                              settings_.redis_url, queue_name(settings_), settings_.heartbeat_ms);
    std::vector<std::string> args = work.cli_args();
    if (const Mechanism* m = work.mechanism()) {  // made already: the workers join it
      for (auto& arg : m->join_args()) args.push_back(std::move(arg));
    }
    args = queue::without_server(args);
    const queue::Description d{parbench_version(),
                               work.kernel(),
                               args,
                               work.size(),
                               chunk_,
                               session_->begin_configuration(),
                               settings_.heartbeat_ms,
                               workers};
    config_ = d.config;
    rep_ = 0;
    auto& redis = session_->redis();
    redis.command("DEL %s", keys().description().c_str());
    std::vector<std::string> hset{"HSET", keys().description()};
    for (auto& f : d.fields()) hset.push_back(std::move(f));
    redis.command_argv(hset);
    redis.command("PEXPIRE %s %s", keys().description().c_str(), session_->expiry_ms().c_str());
    requeue_sha_ = redis.command("SCRIPT LOAD %s", queue::kRequeueScript);
    if (!external) start_local_workers();
    wait_for_workers();
  }

  RunOutput run() override {
    // Every repetition begins with the workers its row claims: those started here that died are
    // replaced, users' workers that died are waited for (--join-timeout). Its time starts then.
    replace_dead_children();
    wait_for_workers();
    const double t0 = monotonic_s();
    const Message first{config_, ++rep_, 0};
    const std::string round = first.round();
    const std::uint64_t chunks = chunk_count(work_->size(), chunk_);
    auto& redis = session_->redis();
    const std::string results = keys().results(round);
    const std::string done = keys().done(round);
    begin_round(round, results, done);
    feed(chunks);

    // Until every chunk has a result: rung by the worker that pushed the result that may be the
    // last, or, where that worker died before it rang, found on a look at the list's length.
    Losses losses;
    ResultTally tally(chunks);
    const std::string wait_ms = std::to_string(static_cast<int>(kCheckEvery_s * 1000));
    while (!tally.complete()) {
      if (!redis.command_list("XREAD BLOCK %s STREAMS %s 0-0", wait_ms.c_str(), done.c_str())
               .empty()) {
        // The rings first, then the results: a ring rung after the trim wakes the next XREAD.
        redis.command("XTRIM %s MAXLEN 0", done.c_str());
        read_results(results, tally);
        continue;
      }
      check_workers(round, losses);
      const auto length = std::stoull(redis.command("LLEN %s", results.c_str()));
      if (length > chunks && length - 1 > tally.entries_read()) read_results(results, tally);
    }
    RunOutput out = collect(tally, losses);
    out.wall_s = monotonic_s() - t0;
    record_chunk_overhead(out, chunks);
    redis.command("DEL %s %s %s %s", keys().pending().c_str(), results.c_str(), done.c_str(),
                  keys().current().c_str());
    // A worker that died before the repetition began (its heartbeat had not expired yet) did not
    // run it: the row says how many did, and is not valid for the count it was asked for.
    if (const std::size_t ran = participants(round, losses); ran < expected_) {
      out.measurements.push_back({"workers_ran", static_cast<double>(ran)});
      out.problem = fmt::format(
          "the repetition ran on {} of {} workers: the others had died before it began (queue {})",
          ran, expected_, session_->name());
    }
    return out;
  }

  void stop() noexcept override {
    // The workers go first, then their keys: nothing they write can outlive the queue.
    for (auto& child : children_) child.terminate();
    children_.clear();
    session_.reset();
  }

  std::string worker_hosts() const override { return hosts_; }
  int nodes() const override { return nodes_; }

 private:
  struct Losses {
    std::uint64_t redelivered = 0;
    double waited_s = 0.0;           // from a dead worker's last heartbeat to its chunks' return
    std::set<std::uint64_t> redone;  // the chunks put back
    std::set<std::string> ran;       // the workers that stored a result or died holding a chunk
  };

  const queue::QueueKeys& keys() const { return session_->keys(); }

  void start_local_workers() {
    for (std::size_t i = 0; i < expected_; ++i) children_.push_back(spawn_worker());
  }
  ipc::ChildProcess spawn_worker() const {
    ipc::ChildProcess::SpawnOptions options;
    // The URL (a password with it) through the environment: a command line is public in `ps`.
    options.extra_env = {"PARBENCH_REDIS_URL=" + session_->worker_url()};
    options.own_process_group = true;  // Ctrl-C reaches parbench, which stops them in order
    options.outlives_parent = true;    // a feeder killed outright: they clean up, then leave
    return ipc::ChildProcess::spawn({ipc::self_executable(), "worker", "--queue", session_->name()},
                                    options);
  }

  // Workers started here that died are replaced (at most `expected_` times a repetition: a worker
  // that cannot live is a failure, not a loop). Their heartbeats outlive them a while: their pids
  // are remembered, so that they are not counted among the live.
  void replace_dead_children() {
    std::vector<ipc::ChildProcess> alive;
    for (auto& child : children_) {
      const auto status = child.try_wait();
      if (!status || replaced_ >= expected_) {
        alive.push_back(std::move(child));
        continue;
      }
      dead_pids_.insert(std::to_string(child.pid()));
      fmt::print(stderr, "parbench: warning: queue worker (pid {}) {}; another takes its place\n",
                 child.pid(), ipc::describe_wait_status(*status));
      alive.push_back(spawn_worker());
      ++replaced_;
    }
    children_.swap(alive);
  }
  // "host/pid/tag" of a worker started here that died.
  bool dead_child(const std::string& worker) const {
    const auto parts = split_list(worker, '/');
    return parts.size() == 3 && dead_pids_.contains(parts[1]);
  }

  // The workers whose heartbeat key exists, and (through `dead`) those in the set whose has gone.
  // A live worker's key says when it last beat: its time to live is the expiry less the time since.
  std::vector<std::string> live_workers(std::vector<std::string>* dead = nullptr) {
    auto& redis = session_->redis();
    const auto members = redis.command_list("SMEMBERS %s", keys().workers().c_str());
    for (const auto& m : members) redis.append("PTTL %s", keys().heartbeat(m).c_str());
    const double now = monotonic_s();
    std::vector<std::string> live;
    for (const auto& m : members) {
      const long long ttl_ms = std::stoll(redis.reply());
      if (ttl_ms >= 0) {
        live.push_back(m);
        last_beat_[m] = now - static_cast<double>(settings_.heartbeat_ms - ttl_ms) * 1e-3;
      } else if (dead != nullptr) {
        dead->push_back(m);
      }
    }
    return live;
  }

  // Waits until `expected_` workers have joined: workers started here within kLocalJoin_s, users'
  // workers within --join-timeout, announcing once how to start them. The workers then in the
  // queue keep their order from one repetition to the next; newcomers follow.
  void wait_for_workers() {
    const bool external = settings_.external_workers;
    const double deadline = monotonic_s() + (external ? settings_.join_timeout_s : kLocalJoin_s);
    bool announced = false;
    for (;;) {
      std::vector<std::string> live = live_workers();
      std::erase_if(live, [this](const std::string& w) { return dead_child(w); });
      if (live.size() >= expected_) {
        std::sort(live.begin(), live.end());
        std::vector<std::string> order;
        for (const auto& w : joined_) {
          if (std::binary_search(live.begin(), live.end(), w)) order.push_back(w);
        }
        for (const auto& w : live) {
          if (std::find(order.begin(), order.end(), w) == order.end()) order.push_back(w);
        }
        joined_ = std::move(order);
        replaced_ = 0;
        std::vector<std::string> hosts;
        for (const auto& w : live) hosts.push_back(host_of(w));
        hosts_ = run_length(hosts);
        nodes_ = static_cast<int>(std::set<std::string>(hosts.begin(), hosts.end()).size());
        return;
      }
      throw_if_children_died("before joining the queue");
      if (external && !announced) {
        fmt::print(stderr,
                   "parbench: queue {} on {} waits for {} worker(s); start each with: parbench "
                   "worker --redis URL --queue {}\n",
                   session_->name(), session_->where(), expected_ - live.size(), session_->name());
        announced = true;
      }
      if (monotonic_s() > deadline) {
        throw WorkerFailure(
            fmt::format("{} of {} workers {} queue {} within {:.0f} s", live.size(), expected_,
                        rep_ == 0 ? "joined" : "were left on (a worker died)", session_->name(),
                        external ? settings_.join_timeout_s : kLocalJoin_s));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(external ? 50 : 2));
    }
  }

  // Where every worker started here has died there is nobody left to redo anything.
  void throw_if_children_died(const char* when) {
    if (children_.empty()) return;
    std::vector<std::string> deaths;
    for (std::size_t i = 0; i < children_.size(); ++i) {
      if (const auto status = children_[i].try_wait()) {
        deaths.push_back(fmt::format("worker {} (pid {}) {}", i, children_[i].pid(),
                                     ipc::describe_wait_status(*status)));
      }
    }
    if (deaths.size() == children_.size())
      throw WorkerFailure(
          fmt::format("every queue worker died {}: {}", when, fmt::join(deaths, "; ")));
  }

  // A repetition's keys, new, each with the expiry: `current`, the results list with its head and
  // the empty `done` stream (XADD, trimmed to nothing at once), which workers add to only while
  // they exist (RPUSHX, XADD NOMKSTREAM); only a failed repetition's chunks may be left in
  // `pending`, and its keys are deleted here (they would expire anyway).
  void begin_round(const std::string& round, const std::string& results, const std::string& done) {
    auto& redis = session_->redis();
    const char* px = session_->expiry_ms().c_str();
    int queued = 0;  // replies due
    const auto add = [&redis, &queued](const char* format, auto... words) {
      redis.append(format, words...);
      ++queued;
    };
    add("DEL %s", keys().pending().c_str());
    if (!last_round_.empty())
      add("DEL %s %s", keys().results(last_round_).c_str(), keys().done(last_round_).c_str());
    add("SET %s %s PX %s", keys().current().c_str(), round.c_str(), px);
    add("RPUSH %s %s", results.c_str(), queue::kResultsHead);
    add("PEXPIRE %s %s", results.c_str(), px);
    add("XADD %s MAXLEN 0 * ring 0", done.c_str());
    add("PEXPIRE %s %s", done.c_str(), px);
    for (; queued > 0; --queued) redis.reply();
    last_round_ = round;
  }

  // The results pushed since the tally last looked.
  void read_results(const std::string& results, ResultTally& tally) {
    const std::string from = std::to_string(tally.entries_read() + 1);  // after the head
    for (const auto& entry :
         session_->redis().command_list("LRANGE %s %s -1", results.c_str(), from.c_str())) {
      if (tally.add(entry) == ResultTally::Added::kMalformed)
        throw WorkerFailure("a worker stored a malformed result: " + entry);
    }
  }

  // Every chunk of the repetition onto the list, in batches of one command each, pipelined.
  void feed(std::uint64_t chunks) {
    constexpr std::uint64_t kBatch = 1000;
    auto& redis = session_->redis();
    std::uint64_t batches = 0;
    for (std::uint64_t c = 0; c < chunks; c += kBatch) {
      // LPUSH of 0, 1, 2... and BLMOVE from the right: the chunks go out in order.
      std::vector<std::string> words{"LPUSH", keys().pending()};
      for (std::uint64_t k = c; k < std::min(chunks, c + kBatch); ++k)
        words.push_back(Message{config_, rep_, k}.text());
      redis.append_argv(words);
      ++batches;
    }
    redis.append("PEXPIRE %s %s", keys().pending().c_str(), session_->expiry_ms().c_str());
    for (std::uint64_t b = 0; b <= batches; ++b) redis.reply();
  }

  // The heartbeats: a worker whose key expired is dead, and its chunks go back to the queue.
  void check_workers(const std::string& round, Losses& losses) {
    std::vector<std::string> dead;
    const std::vector<std::string> live = live_workers(&dead);
    const double now = monotonic_s();
    auto& redis = session_->redis();
    for (const auto& worker : dead) {
      const auto moved =
          redis.command_list("EVALSHA %s 3 %s %s %s %s %s", requeue_sha_.c_str(),
                             keys().in_flight(worker).c_str(), keys().pending().c_str(),
                             keys().workers().c_str(), worker.c_str(), (round + ":").c_str());
      losses.redelivered += moved.size();
      if (!moved.empty()) losses.ran.insert(worker);
      for (const auto& text : moved) {
        if (const auto m = Message::parse(text)) losses.redone.insert(m->chunk);
      }
      const auto beat = last_beat_.find(worker);
      if (!moved.empty() && beat != last_beat_.end()) losses.waited_s += now - beat->second;
      last_beat_.erase(worker);
    }
    replace_dead_children();
    if (live.empty()) {
      throw_if_children_died("and none is left to take the chunks");
      if (settings_.external_workers && now - last_live_ > settings_.join_timeout_s) {
        throw WorkerFailure(fmt::format("no worker has been alive on queue {} for {:.0f} s",
                                        session_->name(), settings_.join_timeout_s));
      }
    } else {
      last_live_ = now;
    }
  }

  // The workers that took part in the repetition: those that stored a result or died holding a
  // chunk of it, and those still alive (idle: fewer chunks than workers). Whether one that did
  // neither is alive only its heartbeat says: renewed, or expired, within an expiry.
  std::size_t participants(const std::string& round, Losses& losses) {
    std::map<std::string, long long> unsure;  // worker: its heartbeat's last time to live
    for (const auto& w : joined_) {
      if (!losses.ran.contains(w)) unsure[w] = std::numeric_limits<long long>::max();
    }
    if (losses.ran.size() >= expected_ || unsure.empty()) return losses.ran.size();
    auto& redis = session_->redis();
    const double deadline = monotonic_s() + settings_.heartbeat_ms * 1e-3 + 0.5;
    while (!unsure.empty() && monotonic_s() < deadline) {
      for (auto it = unsure.begin(); it != unsure.end();) {
        const long long ttl =
            std::stoll(redis.command("PTTL %s", keys().heartbeat(it->first).c_str()));
        if (ttl > it->second) {  // renewed: alive
          losses.ran.insert(it->first);
        } else if (ttl < 0) {  // expired: dead; did it hold a chunk of this repetition?
          const auto moved = redis.command_list("EVALSHA %s 3 %s %s %s %s %s", requeue_sha_.c_str(),
                                                keys().in_flight(it->first).c_str(),
                                                keys().pending().c_str(), keys().workers().c_str(),
                                                it->first.c_str(), (round + ":").c_str());
          if (!moved.empty()) losses.ran.insert(it->first);
        } else {
          it->second = ttl;
          ++it;
          continue;
        }
        it = unsure.erase(it);
      }
      if (!unsure.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return losses.ran.size() + unsure.size();  // those still unsure: counted, as claimed
  }

  // What a chunk cost beyond its own work, against one request-reply on the same server measured
  // now, after the timed part: the queue's price in round trips (one is its floor, unless the
  // workers hide it behind their work). Worker-seconds: the repetition's wall time on every
  // worker, less the time they spent in chunks, per chunk.
  void record_chunk_overhead(RunOutput& out, std::uint64_t chunks) {
    constexpr int kPings = 51;
    auto& redis = session_->redis();
    std::vector<double> trips;
    for (int i = 0; i < kPings; ++i) {
      const double t = monotonic_s();
      redis.command("PING");
      trips.push_back(monotonic_s() - t);
    }
    std::nth_element(trips.begin(), trips.begin() + kPings / 2, trips.end());
    const double round_trip_s = trips[kPings / 2];
    double busy_s = 0.0;
    for (const auto& w : out.workers) busy_s += w.busy_s;
    const double overhead_s =
        (*out.wall_s * static_cast<double>(expected_) - busy_s) / static_cast<double>(chunks);
    out.measurements.push_back({"round_trip_s", round_trip_s});
    out.measurements.push_back({"chunk_overhead_s", overhead_s});
    out.measurements.push_back({"overhead_per_round_trip", overhead_s / round_trip_s});
  }

  // The first result of each chunk, folded (a chunk done twice counts once: ResultTally); each
  // worker's load, in the order they joined and then as late ones appear.
  RunOutput collect(const ResultTally& tally, Losses& losses) {
    RunOutput out;
    out.result = reduction_identity(work_->reduction());
    std::vector<std::string> order = joined_;
    std::map<std::string, WorkerReport> reports;
    double redo_s = 0.0;
    for (const auto& [chunk, r] : tally.firsts()) {
      out.result = fold(work_->reduction(), out.result, r.value);
      out.outside_cpu_s += r.cpu_s;
      if (std::find(order.begin(), order.end(), r.worker) == order.end()) order.push_back(r.worker);
      reports[r.worker].busy_s += r.busy_s;
      losses.ran.insert(r.worker);
      reports[r.worker].items += r.items;
      if (losses.redone.contains(chunk)) redo_s += r.busy_s;
    }
    // A worker whose result came second ran in the repetition too.
    for (const auto& w : tally.repeat_workers()) losses.ran.insert(w);
    for (const auto& w : order) out.workers.push_back(reports[w]);
    // On every row, 0 included: a queue run that lost no worker says so.
    out.measurements.push_back({"redelivered", static_cast<double>(losses.redelivered)});
    out.measurements.push_back({"lost_s", losses.waited_s + redo_s});
    return out;
  }

  const Workload* work_ = nullptr;
  std::uint64_t chunk_ = 1;
  std::size_t expected_ = 0;
  std::shared_ptr<FeederSession> session_;
  std::uint64_t config_ = 0;
  std::uint64_t rep_ = 0;
  std::string requeue_sha_;
  std::string last_round_;  // the repetition before, whose keys the next one deletes
  std::vector<ipc::ChildProcess> children_;
  std::vector<std::string> joined_;
  std::map<std::string, double> last_beat_;  // when each worker's heartbeat was last refreshed
  double last_live_ = monotonic_s();
  std::string hosts_;
  int nodes_ = 1;
  std::set<std::string> dead_pids_;  // of the workers started here that died
  std::size_t replaced_ = 0;         // workers started here replaced since the last full queue
};

}  // namespace

BackendEntry redis_queue_backend() {
  return {
      .name = "redis-queue",
      .summary =
          "independent worker processes, on any host, taking chunks from a Redis list "
          "with acknowledgement (the book's job queue); survives a worker's death",
      .make = [] { return std::unique_ptr<Backend>(new RedisQueueBackend); },
      .availability =
          [] {
            // A server in $PARBENCH_REDIS_URL needs no redis-server here (--redis, given to
            // the run, is not known at this point).
            const char* url = std::getenv(ipc::kRedisUrlVariable);
            const ipc::Availability a = ipc::redis_availability({url != nullptr ? url : "", ""});
            return Availability{a.runnable, a.detail};
          },
      .model = {.workers = ipc::Workers::kQueueWorkers, .report_through_backend = true},
      .schedules = {ScheduleKind::kDynamic, ScheduleKind::kQueue},
      .options = queue_options,
      // Named only: it needs a Redis server, and its question is surviving a worker's death.
      .in_default_matrix = false,
      .runs_any_workload = false};  // its workers are `parbench worker` processes
}

}  // namespace parbench::backends
