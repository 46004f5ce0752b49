// The constants of docs/clusters.md's scale model, measured between whatever ranks this is started
// on (one host, or n1 and n2 of scripts/cluster/local-slurm): a round trip between rank 0 and the
// last rank, a barrier, a one-number reduction to rank 0, and what one chunk request of the dynamic
// schedule costs rank 0 when every other rank keeps asking (the mpi backend's master-worker loop,
// without the kernel). An MPI program, not a Google Benchmark: every rank must take part.
//   mpirun -np 2 parbench_mpi_costs        srun -N 2 -n 2 --mpi=pmix parbench_mpi_costs
#include <mpi.h>

#include <fmt/format.h>
#include <algorithm>
#include <cstdint>
#include <vector>

namespace {

constexpr int kRepeats = 2000;
constexpr int kRequestTag = 1;
constexpr int kChunkTag = 2;

double median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Seconds of one call of `step`, median over kRepeats, each time the slowest rank's.
template <typename Step>
double timed(Step&& step) {
  std::vector<double> times;
  for (int i = 0; i < kRepeats; ++i) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    step();
    double mine = MPI_Wtime() - t0;
    double slowest = 0.0;
    MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    times.push_back(slowest);
  }
  return median(times);
}

// Rank 0 answers chunk requests as fast as it can while the others ask in a closed loop; the time
// per answer at rank 0 is its service time, the ceiling of the dynamic schedule's hand-out.
double request_service_s(int rank, int size, int per_rank) {
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  if (rank == 0) {
    const int total = per_rank * (size - 1);
    std::uint64_t next = 0;
    for (int served = 0; served < total; ++served) {
      MPI_Status status;
      MPI_Recv(nullptr, 0, MPI_BYTE, MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &status);
      MPI_Send(&next, 1, MPI_UINT64_T, status.MPI_SOURCE, kChunkTag, MPI_COMM_WORLD);
      ++next;
    }
  } else {
    std::uint64_t chunk = 0;
    for (int i = 0; i < per_rank; ++i) {
      MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequestTag, MPI_COMM_WORLD);
      MPI_Recv(&chunk, 1, MPI_UINT64_T, 0, kChunkTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
  }
  const double elapsed = MPI_Wtime() - t0;
  return elapsed / (per_rank * std::max(1, size - 1));
}

// Rank 0's own seconds in `mine` (the other ranks run `theirs` alongside), median over kRepeats.
template <typename Mine, typename Theirs>
double rank0_median(int rank, Mine&& mine, Theirs&& theirs) {
  std::vector<double> times;
  for (int i = 0; i < kRepeats; ++i) {
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) {
      const double t0 = MPI_Wtime();
      mine();
      times.push_back(MPI_Wtime() - t0);
    }
    theirs();
  }
  return rank == 0 ? median(times) : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  char host[MPI_MAX_PROCESSOR_NAME] = {};
  int length = 0;
  MPI_Get_processor_name(host, &length);

  const int peer = size - 1;
  std::uint64_t word = 1;
  const double round_trip = timed([&] {
    if (rank == 0 && peer != 0) {
      MPI_Send(&word, 1, MPI_UINT64_T, peer, 0, MPI_COMM_WORLD);
      MPI_Recv(&word, 1, MPI_UINT64_T, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (rank == peer && peer != 0) {
      MPI_Recv(&word, 1, MPI_UINT64_T, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Send(&word, 1, MPI_UINT64_T, 0, 0, MPI_COMM_WORLD);
    }
  });
  const double barrier = timed([] { MPI_Barrier(MPI_COMM_WORLD); });
  std::uint64_t sum = 0;
  const double reduce =
      timed([&] { MPI_Reduce(&word, &sum, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD); });
  const double service = request_service_s(rank, size, 20000);

  // The overheads: rank 0 sends to the last rank, receives a number that the barrier after its
  // send guarantees has arrived (TCP and shared memory deliver in order), and probes for nothing.
  const bool paired = peer != 0;
  const double send_overhead = rank0_median(
      rank,
      [&] {
        if (paired) MPI_Send(&word, 1, MPI_UINT64_T, peer, 0, MPI_COMM_WORLD);
      },
      [&] {
        if (paired && rank == peer)
          MPI_Recv(&word, 1, MPI_UINT64_T, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      });
  std::vector<double> recv_times;
  for (int i = 0; i < kRepeats && paired; ++i) {
    if (rank == peer) MPI_Send(&word, 1, MPI_UINT64_T, 0, 0, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) {
      const double t0 = MPI_Wtime();
      MPI_Recv(&word, 1, MPI_UINT64_T, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      recv_times.push_back(MPI_Wtime() - t0);
    }
  }
  const double recv_overhead = recv_times.empty() ? 0.0 : median(recv_times);
  const double iprobe = rank0_median(
      rank,
      [&] {
        int waiting = 0;
        MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &waiting, MPI_STATUS_IGNORE);
      },
      [] {});

  std::vector<char> hosts(static_cast<std::size_t>(size) * MPI_MAX_PROCESSOR_NAME);
  MPI_Gather(host, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, hosts.data(), MPI_MAX_PROCESSOR_NAME, MPI_CHAR,
             0, MPI_COMM_WORLD);
  if (rank == 0) {
    fmt::print("ranks {}: rank 0 on {}, rank {} on {}\n", size, host, peer,
               &hosts[static_cast<std::size_t>(peer) * MPI_MAX_PROCESSOR_NAME]);
    fmt::print("round_trip_us {:.2f}\n", round_trip * 1e6);
    fmt::print("barrier_us {:.2f}\n", barrier * 1e6);
    fmt::print("reduce_us {:.2f}\n", reduce * 1e6);
    fmt::print("request_service_us {:.2f}\n", service * 1e6);
    fmt::print("send_overhead_us {:.2f}\n", send_overhead * 1e6);
    fmt::print("recv_overhead_us {:.2f}\n", recv_overhead * 1e6);
    fmt::print("iprobe_us {:.3f}\n", iprobe * 1e6);
  }
  MPI_Finalize();
  return 0;
}
