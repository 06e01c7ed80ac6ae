#pragma once
// L1 and L2 penalties on the weights (never the biases): what each adds to
// ∂L/∂W before the optimizer steps.
#include <algorithm>
#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "bplab/names.hpp"

namespace bplab {

enum class Penalty { none, l1, l2 };

struct Regularization {
    Penalty kind = Penalty::none;
    double rate = 0.0;
};

inline constexpr NameTable<Penalty, 3> penalty_names{
    {{"none", Penalty::none}, {"l1", Penalty::l1}, {"l2", Penalty::l2}}};

// L1: rate·sign(w), the slope of rate·|w|. L2: rate·w, the slope of rate·w²/2.
// (Plain loops: an xtensor expression here costs a tenth of a WebAssembly epoch.)
inline void penalty_gradient(const Regularization& reg, const xt::xtensor<double, 2>& weights,
                             xt::xtensor<double, 2>& out) {
    const double* w = weights.data();
    double* g = out.data();
    const std::size_t n = weights.size();
    switch (reg.kind) {
        case Penalty::none:
            std::fill_n(g, n, 0.0);
            return;
        case Penalty::l1:
            for (std::size_t i = 0; i < n; ++i) g[i] = reg.rate * static_cast<double>((w[i] > 0.0) - (w[i] < 0.0));
            return;
        case Penalty::l2:
            for (std::size_t i = 0; i < n; ++i) g[i] = reg.rate * w[i];
            return;
    }
}

}  // namespace bplab
