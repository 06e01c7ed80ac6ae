#pragma once
// What the trainer's source files share: argument checks and small helpers.
// Private to engine/src.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bplab/config.hpp"
#include "bplab/errors.hpp"
#include "bplab/trainer.hpp"

namespace bplab::detail {

inline std::size_t round_up(std::size_t n, std::size_t multiple) { return (n + multiple - 1) / multiple * multiple; }

inline bool all_finite(const double* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i])) return false;
    return true;
}

inline std::string join_problems(const std::vector<ConfigProblem>& problems) {
    std::string out = "invalid trainer config: ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
        if (i > 0) out += "; ";
        out += problems[i].message();
    }
    return out;
}

// Targets of a classification sample run from low (0, or -1 for a tanh
// output, as in TensorFlow Playground) to 1.
inline double target_low(const TrainerConfig& c) {
    return c.layers.back().activation.kind == Activation::tanh ? -1.0 : 0.0;
}

inline std::size_t argmax(const double* x, std::size_t n) {
    return static_cast<std::size_t>(std::max_element(x, x + n) - x);
}

// A hash of the training split's inputs and targets, for telling snapshots of other data apart.
std::uint64_t hash_split(const Split& split);

}  // namespace bplab::detail
