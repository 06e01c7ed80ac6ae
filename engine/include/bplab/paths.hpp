#pragma once
// The chain rule taken apart: every path from a weight to the loss, with the
// product of its factors. The products of all paths sum to the weight's
// gradient: the course's blue and orange paths.
#include <cstddef>
#include <optional>
#include <vector>

#include "bplab/state.hpp"

namespace bplab {

// One path from a weight W_l[j][i] to the loss, through one unit per layer
// above: units = [j, k_(l+1), …, o]. Its product is
//   a_i · f'(z_j) · Π_hidden m>l (W_m[k_m][k_(m-1)] · f'(z_(k_m))) · W_out[o][k] · ∂ℓ/∂z_o
// (for the output layer itself a_i · ∂ℓ/∂z_j), in that order in `factors`.
struct ChainPath {
    std::vector<std::size_t> units;
    double product = 0.0;
    std::vector<double> factors;  // empty for the batch mean
};

struct PathDecomposition {
    std::size_t count = 0;    // paths in all
    double sum = 0.0;         // over all paths: ∂ℓ/∂w_ji (one sample) or ∂L/∂w_ji (batch mean)
    double listed_sum = 0.0;  // over the listed paths
    std::vector<ChainPath> paths;  // the largest |product| first
};

// Every path from W_l[j][i] to the loss for one computed row of the current
// batch (nullopt: the mean over the batch), the `limit` largest listed (1 to
// Limits::max_listed_paths). Needs backward to have reached layer l
// (LabError "not_ready" otherwise), and refuses more than
// Limits::max_path_products products in one call.
PathDecomposition chain_paths(const TrainingState& state, std::size_t l, std::size_t j, std::size_t i,
                              std::optional<std::size_t> row, std::size_t limit);

}  // namespace bplab
