#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "bplab/errors.hpp"
#include "bplab/surfaces.hpp"
#include "helpers.hpp"

using namespace bplab;
using bplab_test::derivative;
using bplab_test::relative_error;

TEST_CASE("surfaces: each gradient matches finite differences of its value") {
    const SurfaceKind kind = GENERATE(SurfaceKind::valley, SurfaceKind::saddle, SurfaceKind::rosenbrock);
    INFO(to_name(surface_names, kind));
    for (double x : {-1.7, -0.3, 0.6, 2.2})
        for (double y : {-1.1, 0.4, 1.9}) {
            const SurfaceValue f = evaluate_surface(kind, x, y);
            const double dx = derivative([&](double u) { return evaluate_surface(kind, u, y).value; }, x);
            const double dy = derivative([&](double u) { return evaluate_surface(kind, x, u).value; }, y);
            INFO("at (" << x << ", " << y << ")");
            CHECK(relative_error(f.grad_x, dx) <= 1e-8);
            CHECK(relative_error(f.grad_y, dy) <= 1e-8);
        }
}

TEST_CASE("surfaces: values at known points") {
    CHECK(evaluate_surface(SurfaceKind::valley, 0, 0).value == 0.0);
    CHECK(evaluate_surface(SurfaceKind::valley, 10, 1).value == Approx(0.5 * (10 + 20)).epsilon(1e-15));
    CHECK(evaluate_surface(SurfaceKind::saddle, 2, 3).value == Approx(4 - 9).epsilon(1e-15));
    const SurfaceValue r = evaluate_surface(SurfaceKind::rosenbrock, 1, 1);
    CHECK(r.value == 0.0);
    CHECK(r.grad_x == 0.0);
    CHECK(r.grad_y == 0.0);
    CHECK(evaluate_surface(SurfaceKind::rosenbrock, -1.2, 1).value == Approx(4.84 + 100 * 0.44 * 0.44).epsilon(1e-14));
}

TEST_CASE("surface descent: SGD steps by hand, and its zig-zag across the valley") {
    const double lr = 0.09;
    const SurfaceView view = surface_view(SurfaceKind::valley);
    const auto path = descend_surface(SurfaceKind::valley, default_optimizer(OptimizerKind::sgd, lr),
                                      view.start_x, view.start_y, 3);
    REQUIRE(path.size() == 4);
    double x = view.start_x, y = view.start_y;
    CHECK(path[0].step == 0);
    CHECK(path[0].x == x);
    CHECK(path[0].grad_x == Approx(x / 10).epsilon(1e-15));
    CHECK(path[0].effective_rate.empty());
    for (std::size_t k = 1; k <= 3; ++k) {
        // ∇f = (x/10, 20y); x ← x − lr·x/10, y ← y − lr·20y
        x -= lr * x / 10;
        y -= lr * 20 * y;
        INFO("step " << k);
        CHECK(path[k].step == k);
        CHECK(path[k].x == Approx(x).epsilon(1e-14));
        CHECK(path[k].y == Approx(y).epsilon(1e-14));
        CHECK(path[k].value == Approx(0.5 * (x * x / 10 + 20 * y * y)).epsilon(1e-14));
        CHECK(path[k].grad_y == Approx(20 * y).epsilon(1e-14));
        CHECK(path[k].effective_rate == std::vector<double>{lr, lr});
        CHECK(path[k].y * path[k - 1].y < 0.0);  // across the valley every step
    }
}

TEST_CASE("surface descent: momentum and Adam steps by hand on Rosenbrock") {
    SECTION("momentum: v ← μv + g, p ← p − lr·v") {
        const auto path = descend_surface(SurfaceKind::rosenbrock, default_optimizer(OptimizerKind::momentum, 1e-3), -1.2, 1.0, 3);
        double x = -1.2, y = 1.0, vx = 0, vy = 0;
        for (std::size_t k = 1; k <= 3; ++k) {
            const double gx = -2 * (1 - x) - 400 * x * (y - x * x), gy = 200 * (y - x * x);
            vx = k == 1 ? gx : 0.9 * vx + gx;
            vy = k == 1 ? gy : 0.9 * vy + gy;
            x -= 1e-3 * vx;
            y -= 1e-3 * vy;
            INFO("step " << k);
            CHECK(path[k].x == Approx(x).epsilon(1e-13));
            CHECK(path[k].y == Approx(y).epsilon(1e-13));
            CHECK(path[k].state.momentum_buffer[0] == Approx(vx).epsilon(1e-13));
            CHECK(path[k].state.momentum_buffer[1] == Approx(vy).epsilon(1e-13));
        }
    }
    SECTION("Adam: bias-corrected m and v per coordinate") {
        const auto path = descend_surface(SurfaceKind::rosenbrock, default_optimizer(OptimizerKind::adam, 0.1), -1.2, 1.0, 3);
        double x = -1.2, y = 1.0, mx = 0, my = 0, vx = 0, vy = 0;
        for (int k = 1; k <= 3; ++k) {
            const double gx = -2 * (1 - x) - 400 * x * (y - x * x), gy = 200 * (y - x * x);
            mx = 0.9 * mx + 0.1 * gx;
            my = 0.9 * my + 0.1 * gy;
            vx = 0.999 * vx + 0.001 * gx * gx;
            vy = 0.999 * vy + 0.001 * gy * gy;
            const double c1 = 1 - std::pow(0.9, k), c2 = 1 - std::pow(0.999, k);
            x -= 0.1 * (mx / c1) / (std::sqrt(vx / c2) + 1e-8);
            y -= 0.1 * (my / c1) / (std::sqrt(vy / c2) + 1e-8);
            INFO("step " << k);
            CHECK(path[k].x == Approx(x).epsilon(1e-13));
            CHECK(path[k].y == Approx(y).epsilon(1e-13));
            CHECK(path[k].state.exp_avg[0] == Approx(mx).epsilon(1e-13));
            CHECK(path[k].state.exp_avg_sq[1] == Approx(vy).epsilon(1e-13));
            CHECK(path[k].state.step == static_cast<std::uint64_t>(k));
        }
    }
}

TEST_CASE("surface descent: Adagrad's effective rate shrinks every step, RMSprop's does not have to") {
    const auto adagrad = descend_surface(SurfaceKind::valley, default_optimizer(OptimizerKind::adagrad, 0.5), -9, 2, 30);
    REQUIRE(adagrad.size() == 31);
    for (std::size_t k = 2; k < adagrad.size(); ++k)
        for (std::size_t i = 0; i < 2; ++i) CHECK(adagrad[k].effective_rate[i] < adagrad[k - 1].effective_rate[i]);
    CHECK(adagrad.back().state.sum.size() == 2);

    OptimizerConfig rms = default_optimizer(OptimizerKind::rmsprop, 0.05);
    rms.alpha = 0.9;
    const auto rmsprop = descend_surface(SurfaceKind::valley, rms, -9, 2, 60);
    bool grew = false;
    for (std::size_t k = 2; k < rmsprop.size(); ++k) grew = grew || rmsprop[k].effective_rate[1] > rmsprop[k - 1].effective_rate[1];
    CHECK(grew);  // the squared-gradient average forgets: the rate recovers as the gradient shrinks
}

TEST_CASE("surface descent: the saddle holds plain SGD back on its ridge while momentum escapes sooner") {
    const SurfaceView view = surface_view(SurfaceKind::saddle);
    const auto sgd = descend_surface(SurfaceKind::saddle, default_optimizer(OptimizerKind::sgd, 0.05), view.start_x, view.start_y, 40);
    const auto momentum = descend_surface(SurfaceKind::saddle, default_optimizer(OptimizerKind::momentum, 0.05), view.start_x, view.start_y, 40);
    CHECK(std::abs(momentum.back().y) > std::abs(sgd.back().y));
    CHECK(momentum.back().value < sgd.back().value);
}

TEST_CASE("surface descent: a step that overflows is refused and reported") {
    SurfaceDescent d(SurfaceKind::rosenbrock, default_optimizer(OptimizerKind::sgd, 1000.0), -1.2, 1.0);
    SurfaceStep last = d.current();
    for (int k = 0; k < 50 && !d.current().diverged; ++k) {
        last = d.current();
        d.step();
    }
    REQUIRE(d.current().diverged);
    CHECK(d.current().x == last.x);
    CHECK(d.current().step == last.step);
    CHECK(std::isfinite(d.current().value));
    d.step();
    CHECK(d.current().step == last.step);  // it stays put

    const auto path = descend_surface(SurfaceKind::rosenbrock, default_optimizer(OptimizerKind::sgd, 1000.0), -1.2, 1.0, 50);
    CHECK(path.back().diverged);
    CHECK(path.size() == last.step + 2);
    CHECK(path[path.size() - 2].x == path.back().x);
}

TEST_CASE("surface descent refuses settings the trainer would refuse") {
    CHECK_THROWS_AS(SurfaceDescent(SurfaceKind::valley, default_optimizer(OptimizerKind::sgd, 0.0), 0, 0), LabError);
    OptimizerConfig bad = default_optimizer(OptimizerKind::adam, 0.1);
    bad.beta1 = 1.0;
    CHECK_THROWS_WITH(SurfaceDescent(SurfaceKind::valley, bad, 0, 0), Catch::Matchers::Contains("optimizer.beta1"));
    CHECK_THROWS_AS(SurfaceDescent(SurfaceKind::valley, default_optimizer(OptimizerKind::sgd, 0.1), NAN, 0), LabError);
    CHECK_THROWS_AS(descend_surface(SurfaceKind::valley, default_optimizer(OptimizerKind::sgd, 0.1), 0, 0, 1000000), LabError);
}

TEST_CASE("surface grid: f at the cell centres, rows from the top") {
    std::vector<double> grid;
    surface_grid(SurfaceKind::rosenbrock, 4, -2, 2, -1, 3, grid);
    REQUIRE(grid.size() == 16);
    for (std::size_t row = 0; row < 4; ++row)
        for (std::size_t col = 0; col < 4; ++col) {
            const double x = -2 + (col + 0.5), y = 3 - (row + 0.5);
            CHECK(grid[row * 4 + col] == Approx(evaluate_surface(SurfaceKind::rosenbrock, x, y).value).epsilon(1e-15));
        }
    CHECK_THROWS_AS(surface_grid(SurfaceKind::valley, 0, -1, 1, -1, 1, grid), LabError);
    CHECK_THROWS_AS(surface_grid(SurfaceKind::valley, 8, 1, -1, -1, 1, grid), LabError);
}

TEST_CASE("surface views start inside their frame") {
    for (SurfaceKind kind : {SurfaceKind::valley, SurfaceKind::saddle, SurfaceKind::rosenbrock}) {
        const SurfaceView v = surface_view(kind);
        CHECK(v.start_x > v.x_min);
        CHECK(v.start_x < v.x_max);
        CHECK(v.start_y > v.y_min);
        CHECK(v.start_y < v.y_max);
        const SurfaceValue at = evaluate_surface(kind, v.special_x, v.special_y);
        CHECK(at.grad_x == 0.0);  // the minimum or the saddle point is stationary
        CHECK(at.grad_y == 0.0);
    }
}
