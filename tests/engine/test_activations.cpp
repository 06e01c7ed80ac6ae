#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <algorithm>
#include <cmath>
#include <vector>

#include "bplab/activations.hpp"
#include "helpers.hpp"

using namespace bplab;
using bplab_test::derivative;
using bplab_test::relative_error;

TEST_CASE("sigmoid' peaks at 0.25 at z = 0: the seed of vanishing gradients") {
    const ActivationSpec f{Activation::sigmoid};
    const double a0 = activate(f, 0.0);
    CHECK(local_gradient(f, 0.0, a0) == Approx(0.25).epsilon(1e-15));
    for (double z : {-6.0, -2.0, -0.5, 0.5, 2.0, 6.0})
        CHECK(local_gradient(f, z, activate(f, z)) < 0.25);
}

TEST_CASE("each element-wise activation's local gradient matches finite differences away from kinks") {
    const ActivationSpec f = GENERATE(values<ActivationSpec>({
        {Activation::linear, 0.0}, {Activation::sigmoid, 0.0}, {Activation::tanh, 0.0},
        {Activation::relu, 0.0}, {Activation::leaky_relu, 0.01}, {Activation::leaky_relu, 0.3},
        {Activation::elu, 1.0}, {Activation::elu, 0.5}}));
    INFO(to_name(activation_names, f.kind) << " alpha " << f.alpha);
    for (double z : {-4.0, -1.3, -0.2, 0.15, 0.9, 3.5}) {
        const double numeric = derivative([&](double u) { return activate(f, u); }, z);
        CHECK(relative_error(local_gradient(f, z, activate(f, z)), numeric) <= 1e-9);
    }
}

TEST_CASE("activations take torch's values and conventions") {
    SECTION("values") {
        CHECK(activate({Activation::sigmoid}, 2.0) == Approx(1.0 / (1.0 + std::exp(-2.0))).epsilon(1e-15));
        CHECK(activate({Activation::tanh}, -0.7) == Approx(std::tanh(-0.7)).epsilon(1e-15));
        CHECK(activate({Activation::relu}, -3.0) == 0.0);
        CHECK(activate({Activation::relu}, 3.0) == 3.0);
        CHECK(activate({Activation::leaky_relu, 0.1}, -3.0) == Approx(-0.3).epsilon(1e-15));
        CHECK(activate({Activation::elu, 2.0}, -1.0) == Approx(2.0 * (std::exp(-1.0) - 1.0)).epsilon(1e-15));
        CHECK(activate({Activation::elu, 2.0}, 1.5) == 1.5);
    }
    SECTION("derivatives at the kink z = 0, as torch's backward gives them") {
        CHECK(local_gradient({Activation::relu}, 0.0, 0.0) == 0.0);
        CHECK(local_gradient({Activation::leaky_relu, 0.2}, 0.0, 0.0) == 0.2);
        CHECK(local_gradient({Activation::elu, 0.7}, 0.0, 0.0) == Approx(0.7).epsilon(1e-15));
    }
    SECTION("sigmoid saturates without overflow at ±1000") {
        CHECK(activate({Activation::sigmoid}, 1000.0) == 1.0);
        CHECK(activate({Activation::sigmoid}, -1000.0) == 0.0);
        CHECK(local_gradient({Activation::sigmoid}, 1000.0, 1.0) == 0.0);
        CHECK(std::isfinite(activate({Activation::elu, 1.0}, -1000.0)));
    }
    SECTION("torch's default alphas") {
        CHECK(default_alpha(Activation::leaky_relu) == 0.01);
        CHECK(default_alpha(Activation::elu) == 1.0);
        CHECK(default_alpha(Activation::tanh) == 0.0);
    }
}

TEST_CASE("softmax: outputs in (0, 1) that sum to 1, stable for huge logits") {
    const std::vector<std::vector<double>> rows{{1.0, 2.0, 3.0}, {0.0, 0.0, 0.0, 0.0}, {1000.0, -1000.0, 0.0}, {-1000.0, -999.0}, {710.0, 709.0, 700.0}};
    for (const auto& z : rows) {
        std::vector<double> p(z.size());
        softmax_row(z.data(), p.data(), z.size());
        double sum = 0.0;
        for (double x : p) {
            CHECK(x >= 0.0);
            CHECK(x <= 1.0);
            sum += x;
        }
        CHECK(sum == Approx(1.0).epsilon(1e-15));
    }
    std::vector<double> p(3);
    const double z[3] = {1.0, 2.0, 3.0};
    softmax_row(z, p.data(), 3);
    const double e = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
    CHECK(p[2] == Approx(std::exp(3.0) / e).epsilon(1e-15));
    const double shifted[3] = {101.0, 102.0, 103.0};  // softmax(z + c) = softmax(z)
    std::vector<double> q(3);
    softmax_row(shifted, q.data(), 3);
    for (int k = 0; k < 3; ++k) CHECK(q[k] == Approx(p[k]).epsilon(1e-14));
}

TEST_CASE("softmax backward: the Jacobian-vector product matches finite differences of Σ u·softmax(z)") {
    const std::vector<double> z{0.3, -1.2, 2.0, 0.5}, u{0.7, -0.4, 1.1, 0.2};
    std::vector<double> p(4), down(4);
    softmax_row(z.data(), p.data(), 4);
    softmax_backward_row(p.data(), u.data(), down.data(), 4);
    for (std::size_t k = 0; k < 4; ++k) {
        const double numeric = derivative(
            [&](double v) {
                std::vector<double> moved = z, q(4);
                moved[k] = v;
                softmax_row(moved.data(), q.data(), 4);
                double dot = 0.0;
                for (std::size_t j = 0; j < 4; ++j) dot += u[j] * q[j];
                return dot;
            },
            z[k]);
        CHECK(relative_error(down[k], numeric) <= 1e-9);
        CHECK(local_gradient({Activation::softmax}, z[k], p[k]) == Approx(p[k] * (1 - p[k])).epsilon(1e-15));  // the diagonal
    }
}

TEST_CASE("activate_rows applies the activation to every element, softmax to every row") {
    const std::vector<double> z{-1.0, 0.5, 2.0, -3.0, 0.0, 1.0};
    std::vector<double> a(6);
    for (Activation kind : {Activation::linear, Activation::sigmoid, Activation::tanh, Activation::relu,
                            Activation::leaky_relu, Activation::elu}) {
        const ActivationSpec f{kind, default_alpha(kind)};
        activate_rows(f, z.data(), a.data(), 2, 3);
        for (int i = 0; i < 6; ++i) CHECK(a[i] == activate(f, z[i]));  // one tanh for both: the same bits
    }
    activate_rows({Activation::softmax}, z.data(), a.data(), 2, 3);
    CHECK(a[0] + a[1] + a[2] == Approx(1.0).epsilon(1e-15));
    CHECK(a[3] + a[4] + a[5] == Approx(1.0).epsilon(1e-15));
}

TEST_CASE("activation names") {
    CHECK(from_name(activation_names, "leakyRelu") == Activation::leaky_relu);
    CHECK(to_name(activation_names, Activation::softmax) == "softmax");
    CHECK_FALSE(from_name(activation_names, "gelu").has_value());
}

TEST_CASE("the layer kernels' vectorised tanh stays within 4 ulp of std::tanh, odd, and saturates to ±1") {
    std::vector<double> z;
    for (double x = -25.0; x <= 25.0; x += 0.000731) z.push_back(x);
    for (double x : {0.0, -0.0, 1e-300, -1e-20, 1e-8, 19.999, 20.0, 20.001, 700.0, -1e308}) z.push_back(x);
    std::vector<double> a(z.size());
    tanh_block(z.data(), a.data(), z.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < z.size(); ++i) {
        const double exact = std::tanh(z[i]);
        const double ulp = std::nextafter(std::abs(exact), 2.0) - std::abs(exact);
        worst = std::max(worst, std::abs(a[i] - exact) / ulp);
    }
    INFO("worst error " << worst << " ulp over " << z.size() << " points");
    CHECK(worst <= 4.0);
    double pair[2] = {0.37, -0.37}, out[2];
    tanh_block(pair, out, 2);
    CHECK(out[0] == -out[1]);
    double nan_in[1] = {std::nan("")}, nan_out[1];
    tanh_block(nan_in, nan_out, 1);
    CHECK(std::isnan(nan_out[0]));
}

// The float32 functions of the heatmap grid.

namespace {

// |a - exact| in units of the float spacing at exact.
double float_ulps(float a, double exact) {
    const float rounded = static_cast<float>(std::abs(exact));
    const double spacing = std::max(static_cast<double>(std::nextafter(rounded, INFINITY) - rounded),
                                    static_cast<double>(std::numeric_limits<float>::denorm_min()));
    return std::abs(static_cast<double>(a) - exact) / spacing;
}

template <class Lanes, class Exact>
double worst_float_ulps(const std::vector<float>& xs, Lanes lanes, Exact exact) {
    double worst = 0.0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const float got = lanes(simd::splat(xs[i]))[0];
        worst = std::max(worst, float_ulps(got, exact(static_cast<double>(xs[i]))));
    }
    return worst;
}

std::vector<float> float_sweep(float from, float to, float step) {
    std::vector<float> xs;
    for (float x = from; x <= to; x += step) xs.push_back(x);
    for (int e = 1; e <= 149; ++e) xs.push_back(std::ldexp(1.0f, -e));  // down to the smallest subnormal
    return xs;
}

}  // namespace

TEST_CASE("float32 tanh stays within 4 float ulp of tanh, odd, and saturates to ±1") {
    std::vector<float> xs = float_sweep(-12.0f, 12.0f, 0.000731f);
    for (float x : {0.5214844f, -0.5214844f, 9.99f, 10.0f, 10.01f, 1e30f, -1e30f}) xs.push_back(x);
    const double worst = worst_float_ulps(xs, [](simd::f32x4 x) { return tanh_lanes(x); },
                                          [](double x) { return std::tanh(x); });
    INFO("worst error " << worst << " ulp over " << xs.size() << " points");
    CHECK(worst <= 4.0);
    const simd::f32x4 t = tanh_lanes(simd::f32x4{0.37f, -0.37f, INFINITY, -INFINITY});
    CHECK(t[0] == -t[1]);
    CHECK(t[2] == 1.0f);
    CHECK(t[3] == -1.0f);
    const simd::f32x4 special = tanh_lanes(simd::f32x4{-0.0f, NAN, 0.0f, -1e-40f});
    CHECK(std::signbit(special[0]));
    CHECK(special[0] == 0.0f);
    CHECK(std::isnan(special[1]));
    CHECK(special[3] < 0.0f);
}

TEST_CASE("float32 exp, expm1 and sigmoid stay within 4 float ulp, and saturate instead of overflowing") {
    SECTION("exp") {
        const double worst = worst_float_ulps(float_sweep(-87.0f, 88.0f, 0.00377f),
                                              [](simd::f32x4 x) { return exp_lanes(x); },
                                              [](double x) { return std::exp(x); });
        INFO("worst error " << worst << " ulp");
        CHECK(worst <= 4.0);
        const simd::f32x4 far = exp_lanes(simd::f32x4{-1000.0f, 1000.0f, -INFINITY, INFINITY});
        CHECK(far[0] >= 0.0f);
        CHECK(far[0] < 2e-38f);
        CHECK(std::isfinite(far[1]));
        CHECK(far[1] > 1e38f);
        CHECK(far[2] < 2e-38f);
        CHECK(std::isfinite(far[3]));
    }
    SECTION("expm1 keeps its relative precision near 0") {
        const double worst = worst_float_ulps(float_sweep(-87.0f, 0.0f, 0.00131f),
                                              [](simd::f32x4 x) { return expm1_lanes(x); },
                                              [](double x) { return std::expm1(x); });
        INFO("worst error " << worst << " ulp");
        CHECK(worst <= 4.0);
        CHECK(expm1_lanes(simd::splat(-INFINITY))[0] == -1.0f);
    }
    SECTION("sigmoid") {
        const double worst = worst_float_ulps(float_sweep(-80.0f, 30.0f, 0.00173f),
                                              [](simd::f32x4 x) { return sigmoid_lanes(x); },
                                              [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
        INFO("worst error " << worst << " ulp");
        CHECK(worst <= 4.0);
        const simd::f32x4 far = sigmoid_lanes(simd::f32x4{1000.0f, -1000.0f, INFINITY, -INFINITY});
        CHECK(far[0] == 1.0f);
        CHECK(far[1] >= 0.0f);
        CHECK(far[1] < 1e-37f);
        CHECK(far[2] == 1.0f);
        CHECK(far[3] < 1e-37f);
        CHECK(sigmoid_lanes(simd::splat(0.0f))[0] == 0.5f);
    }
    const simd::f32x4 nan = simd::splat(NAN);
    CHECK(std::isnan(exp_lanes(nan)[0]));
    CHECK(std::isnan(expm1_lanes(nan)[0]));
    CHECK(std::isnan(sigmoid_lanes(nan)[0]));
}

TEST_CASE("activate_block gives every element-wise activation in float, as activate gives it in double") {
    const ActivationSpec f = GENERATE(values<ActivationSpec>({
        {Activation::linear, 0.0}, {Activation::sigmoid, 0.0}, {Activation::tanh, 0.0},
        {Activation::relu, 0.0}, {Activation::leaky_relu, 0.01}, {Activation::leaky_relu, 0.3},
        {Activation::elu, 1.0}, {Activation::elu, 0.5}}));
    INFO(to_name(activation_names, f.kind) << " alpha " << f.alpha);
    std::vector<float> z;
    for (float x = -9.0f; x <= 9.0f; x += 0.0173f) z.push_back(x);
    for (float x : {0.0f, -0.0f, 1e-30f, -1e-30f, -1e-3f, 45.0f, -45.0f}) z.push_back(x);
    // Every length from 1 to 40, so that the padded last group meets every remainder.
    for (std::size_t n = 1; n <= 40; ++n) {
        std::vector<float> a(n + 4, 123.0f);
        activate_block(f, z.data(), a.data(), n);
        for (std::size_t i = 0; i < n; ++i) CHECK(float_ulps(a[i], activate(f, static_cast<double>(z[i]))) <= 4.0);
        for (std::size_t i = n; i < n + 4; ++i) CHECK(a[i] == 123.0f);  // nothing written past n
    }
    std::vector<float> a(z.size());
    activate_block(f, z.data(), a.data(), z.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < z.size(); ++i)
        worst = std::max(worst, float_ulps(a[i], activate(f, static_cast<double>(z[i]))));
    INFO("worst error " << worst << " ulp over " << z.size() << " points");
    CHECK(worst <= 4.0);
    const float nan_in[1] = {NAN};
    float nan_out[1];
    activate_block(f, nan_in, nan_out, 1);
    const double expected = activate(f, std::nan(""));  // NaN, or 0 for ReLU
    if (std::isnan(expected))
        CHECK(std::isnan(nan_out[0]));
    else
        CHECK(nan_out[0] == expected);
}

TEST_CASE("softmax_lanes: four points at once, each as softmax_row gives it, stable for huge logits") {
    constexpr std::size_t units = 3, stride = 8;
    const double logits[4][units] = {{0.5, -1.25, 2.0}, {1000.0, -1000.0, 999.0}, {3.0, 3.0, 3.0}, {-7.5, 0.0, NAN}};
    float z[units * stride] = {}, p[units * stride] = {};
    for (std::size_t point = 0; point < 4; ++point)
        for (std::size_t k = 0; k < units; ++k) z[k * stride + point] = static_cast<float>(logits[point][k]);
    softmax_lanes(z, p, units, stride);
    for (std::size_t point = 0; point < 3; ++point) {
        double expected[units];
        softmax_row(logits[point], expected, units);
        float sum = 0.0f;
        for (std::size_t k = 0; k < units; ++k) {
            CHECK(p[k * stride + point] == Approx(expected[k]).epsilon(4e-7).margin(1e-37));
            sum += p[k * stride + point];
        }
        CHECK(sum == Approx(1.0).epsilon(1e-6));
    }
    CHECK(std::isnan(p[2 * stride + 3]));  // a NaN logit spoils its own point only
    CHECK(p[stride + 4] == 0.0f);          // and lanes past the four stay as they were
}
