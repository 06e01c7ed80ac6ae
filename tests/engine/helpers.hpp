#pragma once
// Small tools the engine tests share: finite differences and error measures.
#include <algorithm>
#include <cmath>
#include <cstddef>

namespace bplab_test {

// f'(x) by the five-point central difference: error O(h⁴) plus rounding ~ eps·|f|/h.
template <class F>
double derivative(F f, double x, double h = 1e-5) {
    return (8.0 * (f(x + h) - f(x - h)) - (f(x + 2.0 * h) - f(x - 2.0 * h))) / (12.0 * h);
}

// |a − b| relative to the larger magnitude; gradients smaller than `floor`
// are compared absolutely against it, where a relative error means nothing.
inline double relative_error(double a, double b, double floor = 1e-3) {
    return std::abs(a - b) / std::max({std::abs(a), std::abs(b), floor});
}

}  // namespace bplab_test
