#include "harness/reporters/card.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

#include "harness/records/statistics.hpp"
#include "harness/reporters/json_writer.hpp"
#include "harness/reporters/params.hpp"

namespace parbench {
namespace {

// One configuration of one host: its rows and the median of its valid repetitions.
struct Config {
  const CsvRow* first = nullptr;
  std::vector<const CsvRow*> rows;
  std::optional<double> median_s;
  std::optional<double> spread_pct;  // over two or more valid repetitions (Summary::mdape_pct)

  const RunRecord& r() const { return first->record; }
  // The median of a measurement over the configuration's valid rows.
  std::optional<double> measurement(const std::string& name) const {
    std::vector<double> values;
    for (const auto* row : rows) {
      if (!row->record.valid) continue;
      for (const auto& m : row->record.measurements)
        if (m.name == name && std::isfinite(m.value)) values.push_back(m.value);
    }
    if (values.empty()) return std::nullopt;
    return summarize(values).median;
  }
};

std::string run_of(const CsvRow& row) {
  const auto it = row.run.find("run_id");
  return it == row.run.end() ? std::string() : it->second;
}

// What a configuration measured, within one run: a speed-up is only taken against the serial rows
// of the same run, never of another day's.
std::string workload_key(const CsvRow& row) {
  const RunRecord& r = row.record;
  return fmt::format("{}|{}|{}|{}|{}", run_of(row), r.kernel, r.size, r.params, r.ipc);
}

class HostRows {
 public:
  explicit HostRows(const std::vector<const CsvRow*>& rows) {
    std::map<std::string, std::size_t> index;
    for (const auto* row : rows) {
      const RunRecord& r = row->record;
      const std::string key = fmt::format("{}|{}|{}|{}|{}", workload_key(*row), r.backend,
                                          workers_text(r), r.schedule, r.chunk);
      auto [it, added] = index.emplace(key, configs_.size());
      if (added) configs_.push_back(Config{row, {}, std::nullopt, std::nullopt});
      configs_[it->second].rows.push_back(row);
    }
    for (auto& c : configs_) {
      std::vector<double> times;
      for (const auto* row : c.rows)
        if (row->record.valid && row->record.rep > 0) times.push_back(row->record.wall_s);
      if (times.empty()) continue;
      const Summary s = summarize(times);
      c.median_s = s.median;
      if (times.size() > 1) c.spread_pct = s.mdape_pct;
    }
    for (const auto& c : configs_)
      if (c.r().backend == "serial" && c.median_s)
        serial_.emplace(workload_key(*c.first), *c.median_s);
    for (const auto* row : rows) run_.push_back(&row->run);
  }

  std::vector<const Config*> where(const std::function<bool(const RunRecord&)>& keep) const {
    std::vector<const Config*> list;
    for (const auto& c : configs_)
      if (c.median_s && keep(c.r())) list.push_back(&c);
    return list;
  }
  std::optional<double> serial(const Config& c) const {
    const auto it = serial_.find(workload_key(*c.first));
    if (it == serial_.end()) return std::nullopt;
    return it->second;
  }
  // The median of a run column (the calibration) over the host's rows.
  std::optional<double> run_column(const std::string& name) const {
    std::vector<double> values;
    for (const auto* run : run_) {
      const auto it = run->find(name);
      if (it == run->end() || it->second.empty()) continue;
      const double v = std::strtod(it->second.c_str(), nullptr);
      if (std::isfinite(v) && v > 0) values.push_back(v);
    }
    if (values.empty()) return std::nullopt;
    return summarize(values).median;
  }

 private:
  std::vector<Config> configs_;
  std::map<std::string, double> serial_;
  std::vector<const std::map<std::string, std::string>*> run_;
};

std::optional<double> median_of(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  return summarize(values).median;
}

double number_param(const RunRecord& r, const char* key) {
  return std::strtod(param(r.params, key).c_str(), nullptr);
}

// What starting a backend's workers costs: the median setup_s of its configurations, in ms.
std::optional<double> setup_ms(const HostRows& h, const std::string& backend) {
  std::vector<double> values;
  for (const auto* c : h.where([&](const RunRecord& r) { return r.backend == backend; }))
    values.push_back(c->r().setup_s * 1e3);
  return median_of(values);
}

// The best efficiency at 2 threads of work of a backend on a kernel with no mechanism, against the
// serial rows of the same workload.
std::optional<double> efficiency(const HostRows& h, const std::string& kernel,
                                 const std::string& backend) {
  std::optional<double> best;
  for (const auto* c : h.where([&](const RunRecord& r) {
         return r.kernel == kernel && r.backend == backend && total_threads(r) == 2 &&
                r.ipc == "none";
       })) {
    const auto serial = h.serial(*c);
    if (!serial) continue;
    const double e = *serial / (*c->median_s * 2.0);
    if (!best || e > *best) best = e;
  }
  return best;
}

// What handing out one chunk costs, in us: the time the workers spent beyond the serial run,
// spread over the chunks, at the configuration with the most chunks and the fewest workers.
std::optional<double> chunk_us(const HostRows& h, const std::string& backend,
                               const std::string& schedule) {
  const Config* best = nullptr;
  for (const auto* c : h.where([&](const RunRecord& r) {
         return r.backend == backend && r.schedule == schedule && r.chunk > 0 && r.ipc == "none";
       })) {
    if (!h.serial(*c)) continue;
    const auto more = [](const Config* a, const Config* b) {
      const auto chunks = [](const Config* x) { return x->r().size / x->r().chunk; };
      if (chunks(a) != chunks(b)) return chunks(a) > chunks(b);
      return total_threads(a->r()) < total_threads(b->r());
    };
    if (best == nullptr || more(c, best)) best = c;
  }
  if (best == nullptr) return std::nullopt;
  const double chunks =
      std::ceil(static_cast<double>(best->r().size) / static_cast<double>(best->r().chunk));
  const double spent = *best->median_s * total_threads(best->r()) - *h.serial(*best);
  return spent / chunks * 1e6;
}

// One look at a stop flag, in ns: the median of the verify rows' check_ns.
std::optional<double> flag_look_ns(const HostRows& h, const std::string& variant) {
  std::vector<double> values;
  for (const auto* c :
       h.where([&](const RunRecord& r) { return r.kernel == "verify" && r.ipc == variant; }))
    if (const auto v = c->measurement("check_ns")) values.push_back(*v);
  return median_of(values);
}

// The count configurations of a counter at 2 workers, the largest number of increments first.
std::vector<const Config*> count_configs(const HostRows& h, const std::string& variant) {
  auto list = h.where([&](const RunRecord& r) {
    return r.kernel == "count" && r.ipc == variant && r.workers == 2 &&
           param(r.params, "lock_scope") != "all";
  });
  std::sort(list.begin(), list.end(), [](const Config* a, const Config* b) {
    return number_param(a->r(), "increments") > number_param(b->r(), "increments");
  });
  return list;
}

// One add of two workers contending for a counter, in ns.
std::optional<double> add_ns(const HostRows& h, const std::string& variant) {
  const auto list = count_configs(h, variant);
  if (list.empty()) return std::nullopt;
  const double adds = number_param(list.front()->r(), "increments") * 2.0;
  return adds > 0 ? std::optional(*list.front()->median_s / adds * 1e9) : std::nullopt;
}

// The share of the updates a counter without a lock lost, in %, at 2 workers.
std::optional<double> lost_pct(const HostRows& h, const std::string& variant) {
  const auto list = count_configs(h, variant);
  if (list.empty()) return std::nullopt;
  std::vector<double> shares;
  for (const auto* row : list.front()->rows) {
    const RunRecord& r = row->record;
    const auto lost = find_measurement(r.measurements, "lost_updates");
    if (!lost || r.rep == 0) continue;
    const double expected = static_cast<double>(r.result) + *lost;
    if (expected > 0) shares.push_back(100.0 * *lost / expected);
  }
  return median_of(shares);
}

// The spreads of the configurations that ran on no more threads than the host has: those that
// oversubscribe it spread by design.
std::vector<double> spreads(const HostRows& h) {
  std::vector<double> values;
  for (const auto* c : h.where([](const RunRecord&) { return true; })) {
    const auto cpus = c->first->run.find("logical_cpus");
    const int logical = cpus == c->first->run.end() ? 0 : std::atoi(cpus->second.c_str());
    if (c->spread_pct && (logical <= 0 || total_threads(c->r()) <= logical))
      values.push_back(*c->spread_pct);
  }
  return values;
}

// The share of the configurations whose repetitions spread over 5%, in %: the noise of the host
// while it ran (parbench run warns about each; scripts/bench counts them here instead).
std::optional<double> noisy_pct(const HostRows& h) {
  const auto values = spreads(h);
  if (values.empty()) return std::nullopt;
  const auto noisy = std::count_if(values.begin(), values.end(), [](double s) { return s > 5.0; });
  return 100.0 * static_cast<double>(noisy) / static_cast<double>(values.size());
}

bool shares_one_array(const std::string& ipc) { return ipc != "copy" && ipc != "mpi-gather"; }

// The fastest fill of a shared block, in GB/s (the label says which).
std::optional<double> fill_gbs(const HostRows& h) {
  std::optional<double> best;
  for (const auto* c : h.where([](const RunRecord& r) {
         return r.kernel == "fill" && shares_one_array(r.ipc) && r.workers >= 2;
       }))
    if (const auto v = c->measurement("gbs"); v && (!best || *v > *best)) best = v;
  return best;
}

std::optional<double> memset_gbs(const HostRows& h) {
  std::vector<double> values;
  for (const auto* c : h.where([](const RunRecord& r) { return r.kernel == "fill"; }))
    if (const auto v = c->measurement("memset_gbs")) values.push_back(*v);
  return median_of(values);
}

// What a private copy of the array costs each worker, in ms: the copy variant's time beyond the
// same fill through a shared mmap block, per worker.
std::optional<double> copy_ms_per_worker(const HostRows& h) {
  std::vector<double> values;
  for (const auto* copy :
       h.where([](const RunRecord& r) { return r.kernel == "fill" && r.ipc == "copy"; })) {
    const RunRecord& c = copy->r();
    for (const auto* shared : h.where([&](const RunRecord& r) {
           return r.kernel == "fill" && r.ipc == "mmap" && r.backend == c.backend &&
                  r.workers == c.workers && r.size == c.size && r.params == c.params;
         }))
      values.push_back((*copy->median_s - *shared->median_s) / c.workers * 1e3);
  }
  return median_of(values);
}

struct FigureSpec {
  const char* section;
  std::string label;
  const char* unit;
  std::function<std::optional<double>(const HostRows&)> compute;
  const char* source;
  std::string how;
};

// Every figure of a section is measured by the section's one command.
std::vector<FigureSpec> figure_specs() {
  std::vector<FigureSpec> specs;
  const std::string start_how =
      "parbench run --kernel pi --workers 2 --backend threads,openmp,processes,tbb,mpi,redis-queue";
  const auto setup = [&](const char* what, const char* backend) {
    specs.push_back({"starting", fmt::format("{} ({})", what, backend), "ms",
                     [backend](const HostRows& h) { return setup_ms(h, backend); },
                     "setup_s, median of its configurations", start_how});
  };
  setup("threads", "threads");
  setup("OpenMP region", "openmp");  // libgomp keeps its team: a region's start, not threads'
  setup("fork", "processes");
  setup("TBB arena", "tbb");
  setup("mpirun + MPI_Init", "mpi");
  setup("queue workers", "redis-queue");
  for (const char* backend : {"threads", "openmp", "processes", "tbb", "mpi"}) {
    for (const char* kernel : {"pi", "primes"}) {
      specs.push_back({"2 workers", fmt::format("{}: {}", backend, kernel), "eff",
                       [=](const HostRows& h) { return efficiency(h, kernel, backend); },
                       "pi / primes: serial / (2 x median)",
                       "parbench run --kernel pi,primes --range C --workers 2 --backend "
                       "serial,threads,openmp,processes,tbb,mpi"});
    }
  }
  const auto chunk = [&](const char* what, const char* backend, const char* schedule) {
    specs.push_back(
        {"a chunk", fmt::format("{} ({})", what, backend), "us",
         [=](const HostRows& h) { return chunk_us(h, backend, schedule); },
         "(workers x median - serial) / chunks",
         "parbench run --kernel primes --range C --chunk 300 --workers 1 --schedule dynamic,queue "
         "--backend serial,threads,processes,mpi,redis-queue"});
  };
  chunk("dynamic claim", "threads", "dynamic");
  chunk("shared-memory queue", "processes", "queue");
  chunk("MPI request", "mpi", "dynamic");
  chunk("Redis queue", "redis-queue", "queue");
  for (const char* variant : {"atomic", "shm", "broker", "redis", "mpi-rma"}) {
    specs.push_back({"flag look", variant, "ns",
                     [=](const HostRows& h) { return flag_look_ns(h, variant); },
                     "verify rows: check_ns",
                     "parbench run --kernel verify --n book --workers 2 --ipc "
                     "atomic,shm,broker,redis,mpi-rma"});
  }
  const auto add = [&](const char* what, const char* variant) {
    specs.push_back({"2 contend", fmt::format("{} ({})", what, variant), "ns",
                     [=](const HostRows& h) { return add_ns(h, variant); },
                     "count at 2 workers: median / adds",
                     "parbench run --kernel count --increments 1e5 --workers 2 --backend "
                     "processes,mpi --ipc shm-atomic,shm-mutex,file-flock,redis,mpi-fetch-op"});
  };
  add("atomic add", "shm-atomic");
  add("locked add", "shm-mutex");
  add("file-locked add", "file-flock");
  add("server add", "redis");
  add("MPI add", "mpi-fetch-op");
  for (const char* variant : {"shm", "file"}) {
    specs.push_back({"no lock", fmt::format("updates lost ({})", variant), "%",
                     [=](const HostRows& h) { return lost_pct(h, variant); },
                     "the negative controls at 2 workers",
                     "parbench run --kernel count --increments 1e6 --workers 2 --backend processes "
                     "--ipc shm,file"});
  }
  const std::string fill_how =
      "parbench run --kernel fill --bytes 64M --ipc mmap,copy --backend processes --workers 2 "
      "--first-touch populate";
  specs.push_back({"big array", "fill, fastest shared block", "GB/s", fill_gbs,
                   "fill rows: gbs at 2+ workers, memset_gbs", fill_how});
  specs.push_back({"big array", "memset of the same block", "GB/s", memset_gbs,
                   "fill rows: memset_gbs", fill_how});
  specs.push_back({"big array", "private copy, per worker", "ms", copy_ms_per_worker,
                   "copy - mmap, same fill, / workers", fill_how});
  const auto calib = [&](const char* what, const char* column, const char* unit) {
    specs.push_back({"calibration", what, unit,
                     [column](const HostRows& h) { return h.run_column(column); },
                     "the fingerprint of every row", "parbench info"});
  };
  calib("one multiply-add step", "calib_cpu_ns", "ns");
  calib("memcpy of 64 MiB", "calib_copy_gbs", "GB/s");
  calib("wake-up across a pipe", "calib_wake_us", "us");
  const char* noise_source = "spread per config, oversubscribed left out";
  const char* noise_how = "parbench run --repeat 5 (any run with repetitions)";
  specs.push_back(
      {"noise", "configurations over 5% spread", "%", noisy_pct, noise_source, noise_how});
  return specs;
}

std::string value_text(double v, const std::string& unit) {
  if (unit == "eff") return fmt::format("{:.2f}", v);
  // A cost below the noise of the times it is taken from.
  if (unit == "us" && v < 0) return "< noise";
  if (unit == "%") return fmt::format("{:.0f}%", v);
  // Times in the unit that keeps them short: 50841 ns is 50.8 us.
  if ((unit == "ns" || unit == "us") && std::fabs(v) >= 10000)
    return value_text(v / 1000, unit == "ns" ? "us" : "ms");
  const double a = std::fabs(v);
  const std::string number = a >= 100   ? fmt::format("{:.0f}", v)
                             : a >= 10  ? fmt::format("{:.1f}", v)
                             : a >= 0.1 ? fmt::format("{:.2f}", v)
                                        : fmt::format("{:.3f}", v);
  return number + " " + unit;
}

}  // namespace

Card make_card(const std::vector<CsvRow>& rows) {
  Card card;
  std::map<std::string, std::vector<const CsvRow*>> by_host;
  for (const auto& row : rows) {
    if (!by_host.contains(row.host)) card.hosts.push_back(row.host);
    by_host[row.host].push_back(&row);
  }
  std::vector<HostRows> hosts;
  for (const auto& host : card.hosts) hosts.emplace_back(by_host[host]);
  for (const auto& spec : figure_specs()) {
    CardFigure figure{spec.section, spec.label, spec.unit, {}, spec.source, spec.how};
    for (const auto& h : hosts) figure.values.push_back(spec.compute(h));
    card.figures.push_back(std::move(figure));
  }
  return card;
}

void print_card(std::ostream& out, const Card& card) {
  constexpr int kSection = 12;
  constexpr int kLabel = 31;
  constexpr std::size_t kWidth = 100;
  const int column = card.hosts.size() == 1 ? 11 : 17;
  const auto line = [&](std::string text) {
    if (text.size() > kWidth) text.resize(kWidth);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  const auto cell = [&](const CardFigure& f, std::size_t host) -> std::string {
    const auto& v = f.values[host];
    if (!v) return "-";
    std::string text = value_text(*v, f.unit);
    if (host > 0 && f.unit != "eff" && f.values[0] && *f.values[0] > 0 && *v > 0)
      text += fmt::format(" {:.2f}x", *v / *f.values[0]);
    return text;
  };
  std::string head = fmt::format("{:<{}}", "What parallelism costs here", kSection + kLabel);
  for (const auto& host : card.hosts)
    head += fmt::format(" {:>{}}", host.substr(0, static_cast<std::size_t>(column)), column);
  line(head + "  from");
  // The commands of the sections with a figure missing, in order; those of the sections nothing
  // measured first, as each of them fills several lines of "-" at once.
  std::vector<std::string> whole_sections;
  std::vector<std::string> commands;
  int lines = 1;
  const auto& figures = card.figures;
  const auto measured = [](const CardFigure& f) {
    return std::any_of(f.values.begin(), f.values.end(),
                       [](const auto& v) { return v.has_value(); });
  };
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const CardFigure& f = figures[i];
    const bool first_of_section = i == 0 || figures[i - 1].section != f.section;
    std::size_t end = i;
    while (end < figures.size() && figures[end].section == f.section) ++end;
    // A section nothing measured is one line, its command below.
    if (first_of_section &&
        std::none_of(figures.begin() + static_cast<std::ptrdiff_t>(i),
                     figures.begin() + static_cast<std::ptrdiff_t>(end), measured)) {
      line(fmt::format("{:<{}}{} figures: not measured", f.section, kSection, end - i));
      ++lines;
      whole_sections.push_back(f.how);
      i = end - 1;
      continue;
    }
    std::string label = f.label;
    std::vector<std::string> cells;
    for (std::size_t h = 0; h < card.hosts.size(); ++h) cells.push_back(cell(f, h));
    // Efficiency comes in pairs, pi and primes of one backend: one line "threads  0.99 / 1.00".
    const bool pair = f.unit == "eff" && i + 1 < figures.size() && figures[i + 1].unit == "eff";
    if (pair) {
      label = f.label.substr(0, f.label.find(':'));
      for (std::size_t h = 0; h < card.hosts.size(); ++h)
        cells[h] += " / " + cell(figures[i + 1], h);
    }
    std::string text =
        fmt::format("{:<{}}{:<{}}", first_of_section ? f.section : "", kSection, label, kLabel);
    for (const auto& c : cells) text += fmt::format(" {:>{}}", c, column);
    if (first_of_section) text += "  " + f.source;
    line(text);
    ++lines;
    const bool missing = !measured(f) || std::any_of(f.values.begin(), f.values.end(),
                                                     [](const auto& v) { return !v; });
    if (missing && std::find(commands.begin(), commands.end(), f.how) == commands.end())
      commands.push_back(f.how);
    if (pair) ++i;
  }
  // What measures each "-", as long as the screen has room (40 lines); --json lists them all.
  commands.insert(commands.begin(), whole_sections.begin(), whole_sections.end());
  for (std::size_t c = 0; c < commands.size(); ++c) {
    std::vector<std::string> wrapped;
    std::string rest = "$ " + commands[c];
    while (rest.size() > kWidth) {
      const std::size_t cut = rest.rfind(' ', kWidth - 2);
      wrapped.push_back(rest.substr(0, cut) + " \\");
      rest = "    " + rest.substr(cut + 1);
    }
    wrapped.push_back(rest);
    const bool last = c + 1 == commands.size();
    if (lines + static_cast<int>(wrapped.size()) + (last ? 0 : 1) > 40) {
      line(fmt::format("({} more commands measure the other \"-\": parbench report card --json)",
                       commands.size() - c));
      return;
    }
    for (const auto& w : wrapped) line(w);
    lines += static_cast<int>(wrapped.size());
  }
}

std::string card_json(const Card& card) {
  JsonWriter json;
  json.begin_object().key("hosts").begin_array();
  for (const auto& host : card.hosts) json.value(host);
  json.end_array().key("figures").begin_array();
  for (const auto& f : card.figures) {
    json.begin_object();
    json.key("section").value(f.section).key("label").value(f.label).key("unit").value(f.unit);
    json.key("values").begin_array();
    for (const auto& v : f.values) {
      if (v) {
        json.value(*v);
      } else {
        json.null();
      }
    }
    json.end_array();
    json.key("source").value(f.source).key("command").value(f.how);
    json.end_object();
  }
  json.end_array().end_object();
  return json.str();
}

}  // namespace parbench
