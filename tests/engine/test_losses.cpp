#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "bplab/losses.hpp"
#include "helpers.hpp"

using namespace bplab;
using bplab_test::derivative;
using bplab_test::relative_error;

namespace {

struct Gradients {
    std::vector<double> upstream, local, downstream;
};

Gradients output_grads(Loss loss, ActivationSpec out, const std::vector<double>& z, const std::vector<double>& y) {
    const std::size_t k = z.size();
    std::vector<double> a(k);
    activate_rows(out, z.data(), a.data(), 1, k);
    Gradients g{std::vector<double>(k), std::vector<double>(k), std::vector<double>(k)};
    output_gradients(loss, out, z.data(), a.data(), y.data(), k, g.upstream.data(), g.local.data(), g.downstream.data());
    return g;
}

double loss_of_z(Loss loss, ActivationSpec out, const std::vector<double>& z, const std::vector<double>& y) {
    std::vector<double> a(z.size());
    activate_rows(out, z.data(), a.data(), 1, z.size());
    return sample_loss(loss, z.data(), a.data(), y.data(), z.size());
}

}  // namespace

TEST_CASE("losses match their textbook formulas, with reduction 'mean'") {
    SECTION("MSE: mean of (a − y)² over the outputs") {
        const std::vector<double> z{0.5, -1.0, 2.0}, y{1.0, 0.0, 2.5};
        CHECK(loss_of_z(Loss::mse, {Activation::linear}, z, y) == Approx((0.25 + 1.0 + 0.25) / 3).epsilon(1e-15));
    }
    SECTION("half_mse: mean of ½(a − y)² over the outputs, half of MSE") {
        const std::vector<double> z{0.5, -1.0, 2.0}, y{1.0, 0.0, 2.5};
        CHECK(loss_of_z(Loss::half_mse, {Activation::linear}, z, y) == Approx((0.125 + 0.5 + 0.125) / 3).epsilon(1e-15));
    }
    SECTION("half_mse on one tanh output: TensorFlow Playground's ½(o − t)², derivative o − t") {
        const std::vector<double> z{0.3}, y{-1.0};
        const double o = 0.29131261245159090582;  // tanh(0.3)
        CHECK(loss_of_z(Loss::half_mse, {Activation::tanh}, z, y) == Approx(0.5 * (o + 1.0) * (o + 1.0)).epsilon(1e-15));
        const Gradients g = output_grads(Loss::half_mse, {Activation::tanh}, z, y);
        CHECK(g.upstream[0] == Approx(o + 1.0).epsilon(1e-15));
        CHECK(g.local[0] == Approx(1.0 - o * o).epsilon(1e-15));
        CHECK(g.downstream[0] == Approx((o + 1.0) * (1.0 - o * o)).epsilon(1e-15));
    }
    SECTION("BCE: mean of −[y log p + (1 − y) log(1 − p)], from the logits") {
        const std::vector<double> z{0.3, -2.0}, y{1.0, 0.2};
        const double p0 = 1 / (1 + std::exp(-0.3)), p1 = 1 / (1 + std::exp(2.0));
        const double hand = -(std::log(p0) + 0.2 * std::log(p1) + 0.8 * std::log(1 - p1)) / 2;
        CHECK(loss_of_z(Loss::bce, {Activation::sigmoid}, z, y) == Approx(hand).epsilon(1e-14));
    }
    SECTION("CCE: −Σ y log softmax(z)") {
        const std::vector<double> z{1.0, 2.0, 0.5}, y{0.0, 1.0, 0.0};
        const double s = std::exp(1.0) + std::exp(2.0) + std::exp(0.5);
        CHECK(loss_of_z(Loss::cce, {Activation::softmax}, z, y) == Approx(-std::log(std::exp(2.0) / s)).epsilon(1e-14));
    }
    SECTION("course: −log(0.9) = 0.105") {
        const std::vector<double> z{std::log(0.05), std::log(0.9), std::log(0.05)}, y{0, 1, 0};
        const double ce = loss_of_z(Loss::cce, {Activation::softmax}, z, y);
        CHECK(ce == Approx(0.1053605156578263).epsilon(1e-14));
        CHECK(std::round(ce * 1000) / 1000 == 0.105);
    }
}

TEST_CASE("the output layer's downstream gradient matches finite differences of the sample loss in z") {
    struct Case {
        const char* name;
        Loss loss;
        ActivationSpec out;
        std::vector<double> y;
    };
    const Case c = GENERATE(values<Case>({
        {"mse linear", Loss::mse, {Activation::linear}, {0.4, -1.0, 2.0}},
        {"mse sigmoid", Loss::mse, {Activation::sigmoid}, {0.0, 1.0, 0.3}},
        {"mse tanh", Loss::mse, {Activation::tanh}, {-1.0, 1.0, 0.0}},
        {"mse relu", Loss::mse, {Activation::relu}, {0.2, 1.0, 0.0}},
        {"mse leakyRelu", Loss::mse, {Activation::leaky_relu, 0.1}, {0.2, 1.0, 0.0}},
        {"mse elu", Loss::mse, {Activation::elu, 0.8}, {0.2, -0.5, 0.0}},
        {"mse softmax", Loss::mse, {Activation::softmax}, {0.0, 1.0, 0.0}},
        {"half_mse tanh", Loss::half_mse, {Activation::tanh}, {-1.0, 1.0, -1.0}},
        {"half_mse linear", Loss::half_mse, {Activation::linear}, {0.4, -1.0, 2.0}},
        {"half_mse softmax", Loss::half_mse, {Activation::softmax}, {0.0, 1.0, 0.0}},
        {"bce sigmoid", Loss::bce, {Activation::sigmoid}, {1.0, 0.0, 0.25}},
        {"cce softmax one-hot", Loss::cce, {Activation::softmax}, {0.0, 0.0, 1.0}},
        {"cce softmax soft", Loss::cce, {Activation::softmax}, {0.2, 0.5, 0.3}}}));
    INFO(c.name);
    const std::vector<double> z{0.7, -1.4, 0.35};
    const Gradients g = output_grads(c.loss, c.out, z, c.y);
    for (std::size_t k = 0; k < 3; ++k) {
        const double numeric = derivative(
            [&](double v) {
                std::vector<double> moved = z;
                moved[k] = v;
                return loss_of_z(c.loss, c.out, moved, c.y);
            },
            z[k]);
        CHECK(relative_error(g.downstream[k], numeric) <= 1e-8);
    }
}

TEST_CASE("the output layer's upstream gradient is dl/da of the loss written on the activations") {
    const std::vector<double> a{0.2, 0.7, 0.1};
    std::vector<double> z(3);
    for (int k = 0; k < 3; ++k) z[k] = std::log(a[k]);  // softmax(z) = a
    SECTION("cce: −y/p") {
        const std::vector<double> y{0.0, 1.0, 0.0};
        const Gradients g = output_grads(Loss::cce, {Activation::softmax}, z, y);
        CHECK(g.upstream[0] == 0.0);
        CHECK(g.upstream[1] == Approx(-1.0 / 0.7).epsilon(1e-14));
        CHECK(g.downstream[1] == Approx(0.7 - 1.0).epsilon(1e-14));  // p − y
        CHECK(g.downstream[0] == Approx(0.2).epsilon(1e-14));
    }
    SECTION("bce: (a − y)/(a(1 − a)) per output, over k outputs") {
        const std::vector<double> zs{0.4, -0.9}, y{1.0, 0.3};
        const Gradients g = output_grads(Loss::bce, {Activation::sigmoid}, zs, y);
        for (int k = 0; k < 2; ++k) {
            const double p = 1 / (1 + std::exp(-zs[k]));
            CHECK(g.upstream[k] == Approx((p - y[k]) / (p * (1 - p)) / 2).epsilon(1e-13));
            CHECK(g.local[k] == Approx(p * (1 - p)).epsilon(1e-14));
            CHECK(g.downstream[k] == Approx(g.upstream[k] * g.local[k]).epsilon(1e-13));
        }
    }
    SECTION("mse: 2(a − y)/k") {
        const std::vector<double> y{0.0, 1.0, 0.0};
        const Gradients g = output_grads(Loss::mse, {Activation::linear}, {0.2, 0.7, 0.1}, y);
        CHECK(g.upstream[1] == Approx(2 * (0.7 - 1.0) / 3).epsilon(1e-14));
    }
    SECTION("half_mse: (a − y)/k, half of MSE's") {
        const std::vector<double> y{0.0, 1.0, 0.0};
        const Gradients g = output_grads(Loss::half_mse, {Activation::linear}, {0.2, 0.7, 0.1}, y);
        CHECK(g.upstream[1] == Approx((0.7 - 1.0) / 3).epsilon(1e-14));
        CHECK(g.downstream[0] == Approx(0.2 / 3).epsilon(1e-14));
    }
}

TEST_CASE("losses stay finite at logits of ±1000") {
    SECTION("bce") {
        for (double z : {1000.0, -1000.0})
            for (double y : {0.0, 1.0}) {
                const std::vector<double> zs{z}, ys{y};
                const double loss = loss_of_z(Loss::bce, {Activation::sigmoid}, zs, ys);
                const bool wrong = (z > 0) != (y > 0);
                CHECK(loss == Approx(wrong ? 1000.0 : 0.0).margin(1e-300));
                const Gradients g = output_grads(Loss::bce, {Activation::sigmoid}, zs, ys);
                CHECK(g.downstream[0] == Approx(wrong ? (z > 0 ? 1.0 : -1.0) : 0.0).margin(1e-300));
            }
    }
    SECTION("cce") {
        const std::vector<double> z{1000.0, -1000.0, 0.0}, y{0.0, 1.0, 0.0};
        CHECK(loss_of_z(Loss::cce, {Activation::softmax}, z, y) == Approx(2000.0).epsilon(1e-15));
        const Gradients g = output_grads(Loss::cce, {Activation::softmax}, z, y);
        for (double d : g.downstream) CHECK(std::isfinite(d));
        CHECK(log_sum_exp(z.data(), 3) == Approx(1000.0).epsilon(1e-15));
    }
    SECTION("bce_with_logits equals softplus where it is safe") {
        for (double z : {-30.0, -2.0, 0.0, 1.5, 30.0}) {
            CHECK(bce_with_logits(z, 0.0) == Approx(std::log1p(std::exp(z))).epsilon(1e-14));
            CHECK(bce_with_logits(z, 1.0) == Approx(std::log1p(std::exp(-z))).epsilon(1e-14));
        }
    }
}

TEST_CASE("losses accept only the output activation they are computed with") {
    CHECK(loss_accepts_output(Loss::bce, Activation::sigmoid));
    CHECK_FALSE(loss_accepts_output(Loss::bce, Activation::tanh));
    CHECK(loss_accepts_output(Loss::cce, Activation::softmax));
    CHECK_FALSE(loss_accepts_output(Loss::cce, Activation::sigmoid));
    for (Activation a : {Activation::linear, Activation::sigmoid, Activation::tanh, Activation::relu, Activation::softmax}) {
        CHECK(loss_accepts_output(Loss::mse, a));
        CHECK(loss_accepts_output(Loss::half_mse, a));
    }
    CHECK(from_name(loss_names, "cce") == Loss::cce);
    CHECK(from_name(loss_names, "half_mse") == Loss::half_mse);
}
