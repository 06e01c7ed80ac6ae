#pragma once
// L1 and L2 penalties on the weights (never the biases): what each adds to
// ∂L/∂W before the optimizer steps.
#include <xtensor/xnoalias.hpp>
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
inline void penalty_gradient(const Regularization& reg, const xt::xtensor<double, 2>& w,
                             xt::xtensor<double, 2>& out) {
    switch (reg.kind) {
        case Penalty::none:
            out.fill(0.0);
            return;
        case Penalty::l1:
            xt::noalias(out) = reg.rate * (xt::cast<double>(w > 0.0) - xt::cast<double>(w < 0.0));
            return;
        case Penalty::l2:
            xt::noalias(out) = reg.rate * w;
            return;
    }
}

}  // namespace bplab
