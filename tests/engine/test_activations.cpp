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
