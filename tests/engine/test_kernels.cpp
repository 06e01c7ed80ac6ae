#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "bplab/dense.hpp"
#include "bplab/random.hpp"
#include "kernels/kernels.hpp"

using namespace bplab;
using namespace bplab::kernels;

// ---- the named operations against the plain loops beside their declarations -----------------

namespace {

std::vector<double> random_values(std::size_t n, Rng& rng, double scale = 2.0) {
    std::vector<double> v(n);
    for (double& x : v) x = rng.uniform(-scale, scale);
    return v;
}

// Shapes that meet every path of the kernels: the templated input counts 1 … 8 and wider,
// one unit and odd unit counts, and sums of fewer than 2, of 8 and of more than 8 values.
const std::size_t shapes[][2] = {{1, 1}, {2, 4}, {3, 3}, {5, 2}, {8, 8}, {9, 7}, {17, 11}, {70, 3}};

}  // namespace

TEST_CASE("matvec: z = W·x + b, each sum b first and then input by input, bit for bit") {
    Rng rng(31);
    for (const auto& [inputs, units] : shapes) {
        for (std::size_t rows : {std::size_t{1}, std::size_t{6}}) {
            INFO(inputs << " inputs, " << units << " units, " << rows << " rows");
            const auto w = random_values(units * inputs, rng), b = random_values(units, rng);
            const auto x = random_values(rows * inputs, rng);
            std::vector<double> z(rows * units);
            matvec(w.data(), b.data(), units, inputs, x.data(), rows, z.data());
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t j = 0; j < units; ++j) {
                    double sum = b[j];
                    for (std::size_t i = 0; i < inputs; ++i) sum += w[j * inputs + i] * x[r * inputs + i];
                    CHECK(z[r * units + j] == sum);
                }
        }
    }
}

TEST_CASE("matvec_transposed: Wᵀ·d, each sum from 0 unit by unit, bit for bit") {
    Rng rng(32);
    for (const auto& [inputs, units] : shapes) {
        for (std::size_t rows : {std::size_t{1}, std::size_t{5}}) {
            INFO(inputs << " inputs, " << units << " units, " << rows << " rows");
            const auto w = random_values(units * inputs, rng), d = random_values(rows * units, rng);
            std::vector<double> out(rows * inputs);
            matvec_transposed(w.data(), units, inputs, d.data(), rows, out.data());
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t i = 0; i < inputs; ++i) {
                    double sum = 0.0;
                    for (std::size_t j = 0; j < units; ++j) sum += w[j * inputs + i] * d[r * units + j];
                    CHECK(out[r * inputs + i] == sum);
                }
        }
    }
}

TEST_CASE("outer_product_mean and column_mean: the batch means of d·xᵀ and of d, bit for bit") {
    Rng rng(33);
    for (const auto& [inputs, units] : shapes) {
        for (std::size_t rows : {std::size_t{1}, std::size_t{3}, std::size_t{10}}) {
            INFO(inputs << " inputs, " << units << " units, " << rows << " rows");
            const auto d = random_values(rows * units, rng), x = random_values(rows * inputs, rng);
            std::vector<double> g(units * inputs), m(units);
            outer_product_mean(d.data(), units, x.data(), inputs, rows, g.data());
            column_mean(d.data(), units, rows, m.data());
            const double inv = 1.0 / static_cast<double>(rows);
            for (std::size_t j = 0; j < units; ++j) {
                double bias_sum = 0.0;
                for (std::size_t r = 0; r < rows; ++r) bias_sum += d[r * units + j];
                CHECK(m[j] == bias_sum * inv);
                for (std::size_t i = 0; i < inputs; ++i) {
                    double sum = 0.0;
                    for (std::size_t r = 0; r < rows; ++r) sum += x[r * inputs + i] * d[r * units + j];
                    CHECK(g[j * inputs + i] == sum * inv);
                }
            }
        }
    }
}

TEST_CASE("tanh_block gives tanh_one's bits for every value, whatever the length") {
    Rng rng(34);
    for (std::size_t n = 1; n <= 19; ++n) {
        const auto z = random_values(n, rng, 4.0);
        std::vector<double> a(n + 2, 7.0);
        tanh_block(z.data(), a.data(), n);
        for (std::size_t i = 0; i < n; ++i) CHECK(a[i] == tanh_one(z[i]));
        CHECK(a[n] == 7.0);  // nothing written past n
    }
}

TEST_CASE("copy_floats copies every length exactly") {
    std::vector<float> from(23);
    for (std::size_t i = 0; i < from.size(); ++i) from[i] = 0.5f * static_cast<float>(i) - 3.0f;
    for (std::size_t n = 0; n <= from.size(); ++n) {
        std::vector<float> to(from.size(), -1.0f);
        CHECK(copy_floats(from.data(), n, to.data()));
        for (std::size_t i = 0; i < to.size(); ++i) CHECK(to[i] == (i < n ? from[i] : -1.0f));
    }
}

TEST_CASE("copy_floats and all_finite tell an infinity or a NaN at any place, in a lane or the tail") {
    const float bad[] = {std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                         std::numeric_limits<float>::quiet_NaN()};
    for (std::size_t n = 1; n <= 23; ++n)
        for (std::size_t at = 0; at < n; ++at)
            for (float x : bad) {
                std::vector<float> from(n, 1.5e38f), to(n);
                from[at] = x;
                INFO("n " << n << ", at " << at << ", " << x);
                CHECK_FALSE(copy_floats(from.data(), n, to.data()));
                CHECK_FALSE(all_finite(from.data(), n));
                std::vector<double> wide(from.begin(), from.end());
                CHECK_FALSE(all_finite(wide.data(), n));
                from[at] = -3.4e38f;  // the largest finite floats, many of them, do not sum to ∞: x − x is 0
                CHECK(copy_floats(from.data(), n, to.data()));
                CHECK(all_finite(from.data(), n));
            }
    CHECK(all_finite(static_cast<const double*>(nullptr), 0));
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

namespace {

// A layer with weights and biases drawn from U(-1.5, 1.5).
DenseLayer random_layer(std::size_t inputs, std::size_t units, Rng& rng) {
    DenseLayer layer = make_layer(inputs, units, {Activation::linear});
    for (double& w : layer.weights) w = rng.uniform(-1.5, 1.5);
    for (double& b : layer.biases) b = rng.uniform(-1.5, 1.5);
    return layer;
}

// Row-major points to a block stored by column: value k of point p at [k * column_block + p].
template <class T>
std::vector<T> to_columns(const std::vector<double>& rows, std::size_t points, std::size_t inputs) {
    std::vector<T> columns(inputs * column_block, T(0));
    for (std::size_t p = 0; p < points; ++p)
        for (std::size_t i = 0; i < inputs; ++i) columns[i * column_block + p] = static_cast<T>(rows[p * inputs + i]);
    return columns;
}

}  // namespace

TEST_CASE("column kernels: points stored by column give dense_forward's z, and in float the same sums in float") {
    Rng rng(5);
    // 70 inputs take two passes of the packed weights; 9 units two groups of four and one alone.
    const std::size_t shape[][2] = {{2, 5}, {8, 8}, {70, 3}, {3, 9}, {1, 1}};
    for (const auto& [inputs, units] : shape) {
        for (std::size_t points : {std::size_t{1}, std::size_t{13}, column_block}) {
            INFO(inputs << " inputs, " << units << " units, " << points << " points");
            const DenseLayer layer = random_layer(inputs, units, rng);
            std::vector<double> rows(points * inputs);
            for (double& x : rows) x = rng.uniform(-6.0, 6.0);
            std::vector<double> z_rows(points * units);
            dense_forward(layer, rows.data(), points, z_rows.data());

            const std::vector<double> x = to_columns<double>(rows, points, inputs);
            std::vector<double> z(units * column_block);
            matvec_columns(layer.weights.data(), layer.biases.data(), units, inputs, x.data(),
                           (points + column_lanes - 1) / column_lanes * column_lanes, z.data());
            const std::vector<float> xf = to_columns<float>(rows, points, inputs);
            std::vector<float> zf(units * column_block);
            matvec_columns(layer.weights.data(), layer.biases.data(), units, inputs, xf.data(),
                           (points + column_lanes_float - 1) / column_lanes_float * column_lanes_float, zf.data());
            for (std::size_t p = 0; p < points; ++p)
                for (std::size_t j = 0; j < units; ++j) {
                    CHECK(z[j * column_block + p] == z_rows[p * units + j]);  // the same bits
                    // b, then input 0, 1, … added in order, in float.
                    float sum = static_cast<float>(layer.biases(j));
                    double magnitude = std::abs(layer.biases(j));
                    for (std::size_t i = 0; i < inputs; ++i) {
                        sum += static_cast<float>(layer.weights(j, i)) * xf[i * column_block + p];
                        magnitude += std::abs(layer.weights(j, i) * rows[p * inputs + i]);
                    }
                    CHECK(zf[j * column_block + p] == sum);
                    // Rounding w, x and each product and sum: (inputs + 3) float epsilons of Σ|terms|.
                    const double bound = static_cast<double>(inputs + 3) * 0x1p-24 * magnitude;
                    CHECK(std::abs(zf[j * column_block + p] - z_rows[p * units + j]) <= bound);
                }
        }
    }
}
