#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "bplab/dense.hpp"

using namespace bplab;

namespace {

struct Moments {
    double mean, variance, max_abs;
};

Moments moments(const xt::xtensor<double, 2>& w) {
    double sum = 0, sum_sq = 0, max_abs = 0;
    for (double x : w) {
        sum += x;
        sum_sq += x * x;
        max_abs = std::max(max_abs, std::abs(x));
    }
    const double n = static_cast<double>(w.size());
    return {sum / n, sum_sq / n - (sum / n) * (sum / n), max_abs};
}

}  // namespace

TEST_CASE("W[j][i] runs to unit j from input i: z = W x + b") {
    DenseLayer layer = make_layer(3, 2, {Activation::linear});
    REQUIRE(layer.units() == 2);
    REQUIRE(layer.inputs() == 3);
    layer.weights = {{1, 2, 3}, {4, 5, 6}};
    layer.biases = {0.5, -1};
    const std::vector<double> x{1, 0, 0, 0, 1, 2};  // two rows
    std::vector<double> z(4);
    dense_forward(layer, x.data(), 2, z.data());
    CHECK(z == std::vector<double>{1.5, 3, 8.5, 16});  // row 1: W[0][1] + 2 W[0][2] + b0, …
}

TEST_CASE("initialisations follow torch (xavier_uniform_, kaiming_normal_) and the playground") {
    Rng rng(3);
    SECTION("xavier: U(±√(6 / (fan_in + fan_out))), biases 0") {
        DenseLayer layer = make_layer(300, 200, {Activation::tanh});
        init_layer(layer, Init::xavier, rng);
        const Moments m = moments(layer.weights);
        const double bound = std::sqrt(6.0 / 500.0);
        CHECK(m.max_abs <= bound);
        CHECK(m.max_abs > 0.99 * bound);
        CHECK(m.mean == Approx(0).margin(0.002));
        CHECK(m.variance == Approx(2.0 / 500.0).epsilon(0.02));  // bound² / 3
        for (double b : layer.biases) CHECK(b == 0.0);
    }
    SECTION("he: N(0, 2 / fan_in), biases 0") {
        DenseLayer layer = make_layer(250, 240, {Activation::relu});
        init_layer(layer, Init::he, rng);
        const Moments m = moments(layer.weights);
        CHECK(m.mean == Approx(0).margin(0.002));
        CHECK(m.variance == Approx(2.0 / 250.0).epsilon(0.02));
        for (double b : layer.biases) CHECK(b == 0.0);
    }
    SECTION("uniform: the playground's U(-0.5, 0.5) weights and 0.1 biases") {
        DenseLayer layer = make_layer(200, 200, {Activation::tanh});
        init_layer(layer, Init::uniform, rng);
        const Moments m = moments(layer.weights);
        CHECK(m.max_abs <= 0.5);
        CHECK(m.variance == Approx(1.0 / 12.0).epsilon(0.02));
        for (double b : layer.biases) CHECK(b == 0.1);
    }
    SECTION("zero: the playground's initZero, every weight and bias 0, nothing drawn") {
        DenseLayer layer = make_layer(5, 4, {Activation::tanh});
        init_layer(layer, Init::uniform, rng);  // not zero before
        const auto before = rng.state();
        init_layer(layer, Init::zero, rng);
        for (double w : layer.weights) CHECK(w == 0.0);
        for (double b : layer.biases) CHECK(b == 0.0);
        CHECK(rng.state() == before);
    }
}

TEST_CASE("initialisation draws from the generator it is given, and only from it") {
    DenseLayer a = make_layer(4, 3, {Activation::tanh}), b = a, c = a;
    Rng r1(10), r2(10), r3(11);
    init_layer(a, Init::he, r1);
    init_layer(b, Init::he, r2);
    init_layer(c, Init::he, r3);
    auto same = [](const DenseLayer& x, const DenseLayer& y) { return bool(x.weights == y.weights); };
    CHECK(same(a, b));
    CHECK_FALSE(same(a, c));
    init_layer(b, Init::he, r2);  // the generator moved on
    CHECK_FALSE(same(a, b));
}

TEST_CASE("init names") {
    CHECK(from_name(init_names, "he") == Init::he);
    CHECK(to_name(init_names, Init::xavier) == "xavier");
    CHECK(from_name(init_names, "zero") == Init::zero);
}
