#include "bplab/surfaces.hpp"

#include <cmath>
#include <string>
#include <tuple>

#include "bplab/config.hpp"
#include "bplab/errors.hpp"

namespace bplab {
namespace {

SurfaceValue valley(double x, double y) {
    return {0.5 * (x * x / 10.0 + 20.0 * y * y), x / 10.0, 20.0 * y};
}

SurfaceValue saddle(double x, double y) { return {x * x - y * y, 2.0 * x, -2.0 * y}; }

SurfaceValue rosenbrock(double x, double y) {
    const double ridge = y - x * x;  // 0 along the valley floor y = x²
    return {(1.0 - x) * (1.0 - x) + 100.0 * ridge * ridge,
            -2.0 * (1.0 - x) - 400.0 * x * ridge,
            200.0 * ridge};
}

bool finite_step(const SurfaceStep& s) {
    return std::isfinite(s.x) && std::isfinite(s.y) && std::isfinite(s.value) && std::isfinite(s.grad_x) &&
           std::isfinite(s.grad_y) && finite_state(s.state);
}

// The trainer's own validation of optimizer settings, on a minimal network.
void check_optimizer(const OptimizerConfig& optimizer) {
    std::string message;
    for (const ConfigProblem& p : validate_optimizer(optimizer)) message += (message.empty() ? "" : "; ") + p.message();
    if (!message.empty()) throw LabError("invalid_argument", "optimizer", message);
}

void check_point(double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y))
        throw LabError("invalid_argument", "start",
                       "the start point is (" + describe(x) + ", " + describe(y) +
                           "); allowed: finite numbers");
}

}  // namespace

SurfaceValue evaluate_surface(SurfaceKind kind, double x, double y) {
    switch (kind) {
        case SurfaceKind::valley: return valley(x, y);
        case SurfaceKind::saddle: return saddle(x, y);
        case SurfaceKind::rosenbrock: return rosenbrock(x, y);
    }
    return {0.0, 0.0, 0.0};
}

SurfaceView surface_view(SurfaceKind kind) {
    switch (kind) {
        case SurfaceKind::valley: return {-10.0, 10.0, -3.0, 3.0, -9.0, 2.0, 0.0, 0.0};
        case SurfaceKind::saddle: return {-3.0, 3.0, -3.0, 3.0, -2.5, 0.01, 0.0, 0.0};
        case SurfaceKind::rosenbrock: return {-2.0, 2.0, -1.0, 3.0, -1.2, 1.0, 1.0, 1.0};
    }
    return {};
}

void surface_grid(SurfaceKind kind, std::size_t res, double x_min, double x_max, double y_min,
                  double y_max, std::vector<double>& out) {
    if (res < 1 || res > Limits::max_grid)
        throw LabError("invalid_argument", "res",
                       "res is " + std::to_string(res) + "; allowed: 1 to " +
                           std::to_string(Limits::max_grid));
    for (auto [lo, hi, axis] : {std::tuple{x_min, x_max, "x"}, std::tuple{y_min, y_max, "y"}})
        if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi))
            throw LabError("invalid_argument", std::string(axis) + "Min",
                           std::string(axis) + "Min is " + describe(lo) + "; allowed: finite, below " + axis +
                               "Max (" + describe(hi) + ")");
    out.resize(res * res);
    const double dx = (x_max - x_min) / static_cast<double>(res);
    const double dy = (y_max - y_min) / static_cast<double>(res);
    for (std::size_t row = 0; row < res; ++row) {
        const double y = y_max - (static_cast<double>(row) + 0.5) * dy;
        for (std::size_t col = 0; col < res; ++col) {
            const double x = x_min + (static_cast<double>(col) + 0.5) * dx;
            out[row * res + col] = evaluate_surface(kind, x, y).value;
        }
    }
}

SurfaceDescent::SurfaceDescent(SurfaceKind kind, const OptimizerConfig& optimizer, double x0,
                               double y0)
    : kind_(kind), optimizer_(optimizer) {
    check_optimizer(optimizer);
    check_point(x0, y0);
    current_.x = x0;
    current_.y = y0;
    const SurfaceValue f = evaluate_surface(kind, x0, y0);
    current_.value = f.value;
    current_.grad_x = f.grad_x;
    current_.grad_y = f.grad_y;
    init_state(optimizer_, 2, current_.state);
    if (!finite_step(current_))
        throw LabError("invalid_argument", "start",
                       "the surface is not finite at (" + describe(x0) + ", " + describe(y0) + ")");
}

const SurfaceStep& SurfaceDescent::step() {
    if (current_.diverged) return current_;
    SurfaceStep next = current_;
    double point[2] = {next.x, next.y};
    const double grad[2] = {next.grad_x, next.grad_y};
    optimizer_step(optimizer_, optimizer_.lr, point, grad, 2, next.state);
    next.step += 1;
    next.x = point[0];
    next.y = point[1];
    const SurfaceValue f = evaluate_surface(kind_, next.x, next.y);
    next.value = f.value;
    next.grad_x = f.grad_x;
    next.grad_y = f.grad_y;
    next.effective_rate = effective_rates(optimizer_, optimizer_.lr, next.state, 2);
    if (!finite_step(next)) {
        current_.diverged = true;
        return current_;
    }
    current_ = std::move(next);
    return current_;
}

std::vector<SurfaceStep> descend_surface(SurfaceKind kind, const OptimizerConfig& optimizer,
                                         double x0, double y0, std::size_t steps) {
    if (steps > Limits::max_surface_steps)
        throw LabError("invalid_argument", "steps",
                       "steps is " + std::to_string(steps) + "; allowed: 0 to " +
                           std::to_string(Limits::max_surface_steps));
    SurfaceDescent descent(kind, optimizer, x0, y0);
    std::vector<SurfaceStep> path;
    path.reserve(steps + 1);
    path.push_back(descent.current());
    for (std::size_t i = 0; i < steps; ++i) {
        path.push_back(descent.step());
        if (path.back().diverged) break;
    }
    return path;
}

}  // namespace bplab
