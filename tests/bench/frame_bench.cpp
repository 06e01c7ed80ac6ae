// The native half of `npm run bench`: the same frames the WebAssembly half
// runs (tests/bench/frames.mjs), through bplab::Trainer, timed with
// steady_clock (and the process's CPU time, which a busy machine inflates
// less). Prints one JSON object per line for scripts/bench.mjs.
//   bench_frame frame 6x8|default [warmup] [frames]
//   bench_frame phase 6x8|default [warmup] [phases]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "bplab/trainer.hpp"

using namespace bplab;

// Every operator new in this program, to show what a frame allocates.
static std::size_t allocations = 0;

void* operator new(std::size_t n) {
    ++allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Mirrors networkConfig() in tests/bench/frames.mjs; the bench compares the
// losses both builds reach to prove they ran the same thing.
TrainerConfig network_config(const std::string& name) {
    TrainerConfig c;
    c.seed = 42;
    c.features = {Feature::x1, Feature::x2};
    if (name == "6x8") {
        for (int l = 0; l < 6; ++l) c.layers.push_back({8, {Activation::tanh}});
    } else if (name == "default") {
        c.layers = {{4, {Activation::tanh}}, {2, {Activation::tanh}}};
    } else {
        std::fprintf(stderr, "unknown network '%s'; use 6x8 or default\n", name.c_str());
        std::exit(2);
    }
    c.layers.push_back({1, {Activation::tanh}});
    c.loss = Loss::mse;
    c.optimizer = default_optimizer(OptimizerKind::sgd, 0.03);
    c.init = Init::uniform;
    c.batch_size = 10;
    c.shuffle = true;
    c.dataset = DatasetConfig{DatasetKind::circle, 1000, 0.0, 0.5, 2};
    return c;
}

constexpr std::size_t grid = 100;
constexpr double extent = 6.0;

void print_series(const char* name, const std::vector<double>& values) {
    std::printf(",\"%s\":[", name);
    for (std::size_t i = 0; i < values.size(); ++i) std::printf(i ? ",%.6f" : "%.6f", values[i]);
    std::printf("]");
}

// What the frames computed, for the native-vs-WebAssembly comparison.
void print_result(Trainer& t, double heatmap_sum) {
    const Evaluation e = t.evaluate();
    std::printf(",\"epoch\":%zu,\"trainLoss\":%.17g,\"testLoss\":%.17g,\"heatmapSum\":%.17g}\n",
                t.cursor().epoch, e.train_loss, e.test_loss, heatmap_sum);
}

// One frame as the page plays it: an epoch, both losses, every heatmap.
void frames(const std::string& network, int warmup, int count) {
    Trainer t(network_config(network));
    std::vector<double> total, cpu, epoch, evaluate, heatmaps;
    total.reserve(count);
    cpu.reserve(count);
    epoch.reserve(count);
    evaluate.reserve(count);
    heatmaps.reserve(count);
    double heatmap_sum = 0.0;
    std::size_t allocated = 0;
    for (int f = 0; f < warmup + count; ++f) {
        const std::size_t allocations_before = allocations;
        const std::clock_t cpu_start = std::clock();
        const Clock::time_point start = Clock::now();
        t.train_epoch();
        const double after_epoch = ms_since(start);
        t.evaluate();
        const double after_evaluate = ms_since(start);
        const std::vector<float>& maps = t.heatmaps(grid, -extent, extent, -extent, extent);
        const double after_heatmaps = ms_since(start);
        const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
        if (f < warmup) continue;
        allocated += allocations - allocations_before;
        total.push_back(after_heatmaps);
        cpu.push_back(cpu_ms);
        epoch.push_back(after_epoch);
        evaluate.push_back(after_evaluate - after_epoch);
        heatmaps.push_back(after_heatmaps - after_evaluate);
        if (f + 1 == warmup + count) {
            for (float v : maps) heatmap_sum += v;
        }
    }
    std::printf("{\"kind\":\"frame\",\"network\":\"%s\",\"build\":\"native\",\"allocationsPerFrame\":%.3f",
                network.c_str(), count ? static_cast<double>(allocated) / count : 0.0);
    print_series("frame", total);
    print_series("frameCpu", cpu);
    print_series("trainEpoch", epoch);
    print_series("evaluate", evaluate);
    print_series("heatmaps", heatmaps);
    print_result(t, heatmap_sum);
}

// One phase of the frame-by-frame mode and a look at what it computed.
void phases(const std::string& network, int warmup, int count) {
    Trainer t(network_config(network));
    std::vector<double> times;
    double touched = 0.0;
    for (int p = 0; p < warmup + count; ++p) {
        const Clock::time_point start = Clock::now();
        const PhaseResult ran = t.step_phase();
        const LayerTrace& trace = t.trace(ran.layer);
        touched += trace.downstream_grad.data()[0];
        const double elapsed = ms_since(start);
        if (p >= warmup) times.push_back(elapsed);
    }
    std::printf("{\"kind\":\"phase\",\"network\":\"%s\",\"build\":\"native\",\"touched\":%.17g",
                network.c_str(), touched);
    print_series("phase", times);
    print_result(t, 0.0);
}

int argument(int argc, char** argv, int i, int fallback) {
    return argc > i ? std::max(0, std::atoi(argv[i])) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_frame frame|phase 6x8|default [warmup] [count]\n");
        return 2;
    }
    const std::string mode = argv[1], network = argv[2];
    if (mode == "frame") {
        frames(network, argument(argc, argv, 3, 5), argument(argc, argv, 4, 30));
    } else if (mode == "phase") {
        phases(network, argument(argc, argv, 3, 200), argument(argc, argv, 4, 2000));
    } else {
        std::fprintf(stderr, "unknown mode '%s'; use frame or phase\n", mode.c_str());
        return 2;
    }
    return 0;
}
