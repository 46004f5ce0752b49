// Microbenchmarks: the pi kernel's cost per sample (its ceiling, items per second), and what each
// backend costs to set up and to hand out an empty job, next to the raw primitives underneath
// (fork+exit+wait, thread create+join, an empty TBB task).
//   build/release/parbench_micro --benchmark_format=json   (JSON, not the deprecated CSV reporter)
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "harness/backends/registry.hpp"
#include "kernels/monte_carlo_pi.hpp"
#include "kernels/primes.hpp"
#include "kernels/primes_sieve_detail.hpp"
#if PARBENCH_HAVE_TBB
#include <oneapi/tbb/task_group.h>
#endif

namespace {

using namespace parbench;

// The pi kernel's loops side by side, one count each (the same count: tests/kernels_test.cpp):
// pi_count_hits (the hand-vectorised loop, its ISA in the label: avx512, avx2 or none), the loop
// before issue 23 left to GCC's vectoriser (Plain), and the portable scalar loop.
template <std::uint64_t (*Count)(std::uint64_t, std::uint64_t, std::uint64_t) noexcept>
void pi_loop(benchmark::State& state, const char* label) {
  const auto samples = static_cast<std::uint64_t>(state.range(0));
  std::uint64_t begin = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Count(1, begin, begin + samples));
    begin += samples;  // fresh samples every iteration
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel(label);
}
void BM_PiKernel(benchmark::State& state) {
  pi_loop<kernels::pi_count_hits>(state, kernels::pi_vector_isa());
}
void BM_PiKernelPlain(benchmark::State& state) {
  pi_loop<kernels::pi_count_hits_plain>(state, "gcc-vectorised");
}
void BM_PiKernelScalar(benchmark::State& state) {
  pi_loop<kernels::pi_count_hits_scalar>(state, "scalar");
}
BENCHMARK(BM_PiKernel)->Arg(1 << 16)->Arg(1 << 22);
BENCHMARK(BM_PiKernelPlain)->Arg(1 << 16)->Arg(1 << 22);
BENCHMARK(BM_PiKernelScalar)->Arg(1 << 16);

// One primality test of each algorithm on a prime and on a composite (two primes near the square
// root, the hardest kind for trial division) near 10^8, 10^12 and 10^18.
struct PrimeCase {
  const char* name;
  std::uint64_t n;
};
constexpr PrimeCase kPrimeCases[] = {
    {"prime~1e8", 100000007ULL},
    {"composite~1e8", 9973ULL * 10007ULL},
    {"prime~1e12", 1000000000039ULL},
    {"composite~1e12", 999983ULL * 1000003ULL},
    {"prime~1e18", 1000000000000000003ULL},
    {"composite~1e18", 999999937ULL * 1000000007ULL},
};

void BM_IsPrime(benchmark::State& state, bool (*test)(std::uint64_t), std::uint64_t n,
                bool expected) {
  for (auto _ : state) {
    const bool prime = test(n);
    benchmark::DoNotOptimize(prime);
    if (prime != expected) state.SkipWithError("wrong answer");
  }
}

void BM_CountPrimesSieve(benchmark::State& state) {
  const auto hi = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(kernels::count_primes_sieve(0, hi));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CountPrimesSieve)->Arg(100'000'000)->Unit(benchmark::kMillisecond);

// The sieve's inner loops, one at a time, on one segment of the default tuning (items: numbers
// covered, 30 per byte). See docs/sieve.md for what each contributes to pi(10^10).
namespace sd = kernels::sieve_detail;
constexpr std::uint64_t kSegment = sd::kDefaultTuning.segment_bytes;

// A whole segment just below 10^10: cursors, pre-sieve, small, medium primes, count.
void BM_SieveOneSegment(benchmark::State& state) {
  const std::uint64_t hi = 10'000'000'000ULL;
  const auto primes = kernels::sieving_primes(hi);
  for (auto _ : state)
    benchmark::DoNotOptimize(sd::count_primes(hi - 30 * kSegment, hi, primes, sd::kDefaultTuning));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(30 * kSegment));
}
BENCHMARK(BM_SieveOneSegment)->Unit(benchmark::kMicrosecond);

// The pre-sieve: a segment as the AND of the first N patterns (N = 1: a copy).
void BM_SievePresieve(benchmark::State& state) {
  std::vector<std::uint8_t> cells(kSegment);
  std::uint64_t first = 333'333'333;
  for (auto _ : state) {
    sd::presieve(first, cells.data(), cells.size(), static_cast<unsigned>(state.range(0)));
    benchmark::DoNotOptimize(cells.data());
    first += kSegment;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(30 * kSegment));
}
BENCHMARK(BM_SievePresieve)->Arg(1)->Arg(4)->Arg(15);

// One prime's turns over an L1 block (small) or a whole segment (medium); items: multiples.
void BM_SieveTurns(benchmark::State& state) {
  const auto p = static_cast<std::uint64_t>(state.range(0));
  const std::uint64_t length =
      p < sd::kDefaultTuning.small_limit ? sd::kDefaultTuning.block_bytes : kSegment;
  std::vector<std::uint8_t> cells(length, 0xFF);
  sd::Cursor c{};
  sd::first_multiple(p, 10'000'000'000ULL, 20'000'000'000ULL, 10'000'000'000ULL / 30, c);
  std::uint64_t crossed = 0;
  for (auto _ : state) {
    unsigned b = c.b;
    const std::uint64_t next = sd::cross_off_turns(c.index % p, c.P, c.a, b, cells.data(), length);
    benchmark::DoNotOptimize(next);
    crossed += 8 * length / p;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(crossed));
}
BENCHMARK(BM_SieveTurns)->Arg(167)->Arg(1009)->Arg(8191)->Arg(30011)->Arg(99991);

// The same with whole turns only (the last one finished past the window, as the sieve does for
// every prime below the segment's size); items: multiples.
void BM_SieveWholeTurns(benchmark::State& state) {
  const auto p = static_cast<std::uint64_t>(state.range(0));
  const std::uint64_t length =
      p < sd::kDefaultTuning.small_limit ? sd::kDefaultTuning.block_bytes : kSegment;
  std::vector<std::uint8_t> cells(length + p, 0xFF);
  sd::Cursor c{};
  sd::first_multiple(p, 10'000'000'000ULL, 20'000'000'000ULL, 10'000'000'000ULL / 30, c);
  std::uint64_t crossed = 0;
  for (auto _ : state) {
    const std::uint64_t next =
        sd::cross_off_whole_turns(c.index % p, c.P, c.a, c.b, cells.data(), length);
    benchmark::DoNotOptimize(next);
    crossed += 8 * ((length - c.index % p + p - 1) / p);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(crossed));
}
BENCHMARK(BM_SieveWholeTurns)->Arg(167)->Arg(1009)->Arg(16381)->Arg(30011)->Arg(99991);

// The bucket pass near 10^15 (sieving primes up to 3.2e7, all above the segment's 262144 bytes):
// each segment takes its bucket and hands every prime on to the next segment it hits.
void BM_SieveBucketPass(benchmark::State& state) {
  const std::uint64_t lo = 1'000'000'000'000'000ULL;
  const auto primes = kernels::sieving_primes(lo + 1'000'000'000'000ULL);
  const std::uint64_t first_byte = lo / 30;
  const std::uint64_t bytes = 1'000'000'000'000ULL / 30;
  sd::Buckets buckets(kSegment, bytes, primes.back());
  for (const std::uint64_t p : primes) {
    sd::Cursor c{};
    if (p > kSegment && sd::first_multiple(p, lo, lo + 30 * bytes, first_byte, c)) buckets.add(c);
  }
  std::vector<std::uint8_t> cells(kSegment, 0xFF);
  std::uint64_t segment = 0;
  for (auto _ : state) {
    buckets.sieve_segment(segment++, cells.data(), kSegment);
    benchmark::DoNotOptimize(cells.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(30 * kSegment));
}
BENCHMARK(BM_SieveBucketPass)->Unit(benchmark::kMicrosecond);

// Counting a segment's bits.
void BM_SieveCountBits(benchmark::State& state) {
  std::vector<std::uint8_t> cells(kSegment);
  sd::presieve(0, cells.data(), cells.size(), 15);
  for (auto _ : state) benchmark::DoNotOptimize(sd::count_bits(cells.data(), cells.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(30 * kSegment));
}
BENCHMARK(BM_SieveCountBits);

// A workload with one item per worker that does nothing: what remains is the backend's hand-out,
// wake-up and collection.
class EmptyJob final : public Workload {
 public:
  explicit EmptyJob(std::uint64_t workers) : workers_(workers) {}
  std::string kernel() const override { return "empty"; }
  std::string params() const override { return ""; }
  std::vector<std::string> cli_args() const override { return {}; }
  std::uint64_t size() const override { return workers_; }
  std::uint64_t run_slice(std::uint64_t begin, std::uint64_t end) const override {
    return end - begin;
  }
  Verdict judge(std::uint64_t r) const override {
    return {static_cast<double>(r), r == workers_, ""};
  }

 private:
  std::uint64_t workers_;
};

void BM_EmptyDispatch(benchmark::State& state, const std::string& backend) {
  const int workers = static_cast<int>(state.range(0));
  const EmptyJob job(static_cast<std::uint64_t>(workers));
  auto b = backends::find_backend(backend)->make();
  b->start(job, workers, Schedule{});
  for (auto _ : state) benchmark::DoNotOptimize(b->run().result);
  b->stop();
}

void BM_BackendSetup(benchmark::State& state, const std::string& backend) {
  const int workers = static_cast<int>(state.range(0));
  const EmptyJob job(static_cast<std::uint64_t>(workers));
  for (auto _ : state) {
    auto b = backends::find_backend(backend)->make();
    b->start(job, workers, Schedule{});
    b->stop();
  }
}

void BM_ForkExitWait(benchmark::State& state) {
  for (auto _ : state) {
    const pid_t pid = fork();
    if (pid == 0) _exit(0);
    int status = 0;
    waitpid(pid, &status, 0);
  }
}
BENCHMARK(BM_ForkExitWait)->UseRealTime();

void BM_ThreadCreateJoin(benchmark::State& state) {
  for (auto _ : state) std::thread([] {}).join();
}
BENCHMARK(BM_ThreadCreateJoin)->UseRealTime();

#if PARBENCH_HAVE_TBB
void BM_TbbEmptyTask(benchmark::State& state) {
  tbb::task_group group;
  for (auto _ : state) {
    group.run([] {});
    group.wait();
  }
}
BENCHMARK(BM_TbbEmptyTask)->UseRealTime();
#endif

// Registered at run time over the backends compiled in (mpi needs mpirun around it: not here).
const bool registered = [] {
  for (const auto& c : kPrimeCases) {
    const bool expected = kernels::is_prime_mr(c.n);
    benchmark::RegisterBenchmark((std::string("BM_IsPrime/mr/") + c.name).c_str(), BM_IsPrime,
                                 kernels::is_prime_mr, c.n, expected);
    benchmark::RegisterBenchmark((std::string("BM_IsPrime/trial/") + c.name).c_str(), BM_IsPrime,
                                 kernels::is_prime_trial, c.n, expected)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(
        (std::string("BM_IsPrime/sieve/") + c.name).c_str(), BM_IsPrime,
        +[](std::uint64_t n) { return kernels::count_primes_sieve(n, n + 1) == 1; }, c.n, expected)
        ->Unit(benchmark::kMillisecond);
  }
  for (const auto& entry : backends::all_backends()) {
    // mpi's ranks need mpirun around them; a backend that runs only parbench's own kernels (the
    // queue's `parbench worker` processes, the Python forms) has no empty one to time here
    // (`parbench run` measures their costs); a backend this build lacks has no factory.
    if (!entry.make || ipc::launched_ranks(entry.model.workers) || !entry.runs_any_workload)
      continue;
    benchmark::RegisterBenchmark(("BM_EmptyDispatch/" + entry.name).c_str(), BM_EmptyDispatch,
                                 entry.name)
        ->Arg(1)
        ->Arg(2)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_BackendSetup/" + entry.name).c_str(), BM_BackendSetup,
                                 entry.name)
        ->Arg(1)
        ->Arg(2)
        ->UseRealTime();
  }
  return true;
}();

}  // namespace
