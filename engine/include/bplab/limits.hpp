#pragma once
// Bounds the engine enforces on every config and call; the page stays far inside them.
#include <cstddef>

namespace bplab {

struct Limits {
    static constexpr std::size_t max_layers = 16;
    static constexpr std::size_t max_units = 512;
    static constexpr std::size_t max_inputs = 64;
    static constexpr std::size_t max_samples = 20000;
    static constexpr std::size_t max_batch = 4096;
    static constexpr std::size_t max_grid = 512;
    static constexpr std::size_t max_points = 10 * max_samples;  // one predict call
    static constexpr std::size_t max_values = 1u << 20;          // one array of the lab-level calls
    static constexpr std::size_t max_results = 1u << 24;         // numbers one predict or heatmaps call returns
    static constexpr std::size_t max_epochs = 100000;            // schedule periods
    static constexpr std::size_t max_surface_steps = 100000;     // one optimizer-race descent
    static constexpr std::size_t max_path_products = 1u << 22;   // paths × samples in one chain_paths call
    static constexpr std::size_t max_listed_paths = 4096;        // paths one chain_paths call lists
    static constexpr std::size_t listed_paths = 64;              // … when the caller names no limit
    static constexpr double max_lr = 1000.0;
    static constexpr double max_memory_mb = 384.0;  // what one trainer may need (wasm32 has 2 GB in all)
};

}  // namespace bplab
