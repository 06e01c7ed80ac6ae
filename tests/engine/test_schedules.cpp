#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "bplab/errors.hpp"
#include "bplab/schedules.hpp"

using namespace bplab;

namespace {

constexpr double pi = 3.14159265358979323846;

// The rate for epochs 0 … n-1: epoch 0 uses the base rate, each epoch's end steps once.
std::vector<double> rates(const ScheduleConfig& c, double base, const std::vector<double>& losses) {
    ScheduleState s = start_schedule(base);
    std::vector<double> out{s.lr};
    for (double loss : losses) {
        step_schedule(c, base, loss, s);
        out.push_back(s.lr);
    }
    return out;
}

std::vector<double> rates(const ScheduleConfig& c, double base, std::size_t epochs) {
    return rates(c, base, std::vector<double>(epochs - 1, 1.0));
}

void check_rates(const std::vector<double>& engine, const std::vector<double>& hand, double tolerance) {
    REQUIRE(engine.size() == hand.size());
    for (std::size_t e = 0; e < hand.size(); ++e) {
        INFO("epoch " << e);
        CHECK(engine[e] == Approx(hand[e]).epsilon(tolerance));
    }
}

}  // namespace

TEST_CASE("constant keeps the base rate") {
    ScheduleConfig c;
    check_rates(rates(c, 0.3, 6), {0.3, 0.3, 0.3, 0.3, 0.3, 0.3}, 0.0);
}

TEST_CASE("StepLR: lr = base · gamma^floor(epoch / step_size)") {
    ScheduleConfig c;
    c.kind = ScheduleKind::step;
    c.step_size = 2;
    c.gamma = 0.5;
    std::vector<double> hand;
    for (int e = 0; e < 6; ++e) hand.push_back(0.1 * std::pow(0.5, e / 2));
    check_rates(rates(c, 0.1, 6), hand, 1e-15);
}

TEST_CASE("ExponentialLR: lr = base · gamma^epoch") {
    ScheduleConfig c;
    c.kind = ScheduleKind::exponential;
    c.gamma = 0.9;
    std::vector<double> hand;
    for (int e = 0; e < 6; ++e) hand.push_back(0.2 * std::pow(0.9, e));
    check_rates(rates(c, 0.2, 6), hand, 1e-14);
}

TEST_CASE("CosineAnnealingLR follows torch's recursive formula, which equals the closed form") {
    ScheduleConfig c;
    c.kind = ScheduleKind::cosine;
    c.t_max = 4;
    c.eta_min = 0.01;
    const double base = 0.1, t_max = 4, eta = 0.01;
    const std::size_t epochs = 14;  // through the minimum at 4 and back up past 2·T_max

    // torch.optim.lr_scheduler.CosineAnnealingLR.get_lr, written out
    std::vector<double> recursive{base};
    for (std::size_t e = 1; e < epochs; ++e) {
        const double last = recursive.back(), ed = static_cast<double>(e);
        if ((static_cast<long>(e) - 1 - 4) % 8 == 0)
            recursive.push_back(last + (base - eta) * (1 - std::cos(pi / t_max)) / 2);
        else
            recursive.push_back((1 + std::cos(pi * ed / t_max)) / (1 + std::cos(pi * (ed - 1) / t_max)) * (last - eta) + eta);
    }
    std::vector<double> closed;
    for (std::size_t e = 0; e < epochs; ++e)
        closed.push_back(eta + (base - eta) * (1 + std::cos(pi * static_cast<double>(e) / t_max)) / 2);

    const std::vector<double> engine = rates(c, base, epochs);
    check_rates(engine, recursive, 1e-15);
    check_rates(engine, closed, 1e-12);
    CHECK(engine[4] == Approx(eta).epsilon(1e-12));   // the bottom at T_max
    CHECK(engine[8] == Approx(base).epsilon(1e-12));  // back at the top after 2·T_max
}

TEST_CASE("ReduceLROnPlateau: mode min on the epoch loss, with factor, patience, threshold, cooldown and min_lr") {
    ScheduleConfig c;
    c.kind = ScheduleKind::plateau;
    c.factor = 0.5;
    c.patience = 1;
    c.threshold = 0.01;

    SECTION("a stall longer than the patience halves the rate, once per stall") {
        // epoch losses: better, better, stall, stall (2 bad > patience 1: cut), stall, stall (cut)
        const std::vector<double> losses{1.0, 0.8, 0.8, 0.8, 0.8, 0.8};
        check_rates(rates(c, 0.1, losses), {0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025}, 1e-15);
    }
    SECTION("an improvement smaller than the relative threshold counts as a stall") {
        // 0.995 is not below 1.0 · (1 − 0.01); 0.98 is
        check_rates(rates(c, 0.1, {1.0, 0.995, 0.999}), {0.1, 0.1, 0.1, 0.05}, 1e-15);
        check_rates(rates(c, 0.1, {1.0, 0.98, 0.97}), {0.1, 0.1, 0.1, 0.1}, 1e-15);
    }
    SECTION("cooldown ignores bad epochs right after a cut") {
        c.cooldown = 2;
        const std::vector<double> losses{1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
        // cut after epoch 3 (2 bad); cooldown epochs 4 and 5; bad again 6, 7: cut
        check_rates(rates(c, 0.1, losses), {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025}, 1e-15);
    }
    SECTION("the rate never falls below min_lr") {
        c.patience = 0;
        c.min_lr = 0.03;
        check_rates(rates(c, 0.1, {1.0, 1.0, 1.0, 1.0}), {0.1, 0.1, 0.05, 0.03, 0.03}, 1e-15);
    }
    SECTION("epochs 0 to 5 with the default patience of 10 keep the base rate") {
        ScheduleConfig d;
        d.kind = ScheduleKind::plateau;
        check_rates(rates(d, 0.1, {1, 1, 1, 1, 1}), {0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, 0.0);
    }
}

TEST_CASE("every schedule counts the epochs it has stepped") {
    for (ScheduleKind kind : {ScheduleKind::constant, ScheduleKind::step, ScheduleKind::exponential,
                              ScheduleKind::cosine, ScheduleKind::plateau}) {
        ScheduleConfig c;
        c.kind = kind;
        ScheduleState s = start_schedule(0.1);
        for (int e = 0; e < 3; ++e) step_schedule(c, 0.1, 1.0, s);
        CHECK(s.last_epoch == 3);
    }
}

TEST_CASE("a schedule curve checks its schedule against the base rate, and its losses") {
    ScheduleConfig step;
    step.kind = ScheduleKind::step;
    step.step_size = 0;  // a period of no epochs
    CHECK_THROWS_AS(schedule_curve(step, 0.1, 3, {}), LabError);
    step.step_size = 2;
    CHECK(schedule_curve(step, 0.1, 3, {}).lr.size() == 4);
    ScheduleConfig plateau;
    plateau.kind = ScheduleKind::plateau;
    CHECK_THROWS_WITH(schedule_curve(plateau, 0.1, 3, {1.0, NAN, 0.5}), Catch::Matchers::Contains("losses"));
}

