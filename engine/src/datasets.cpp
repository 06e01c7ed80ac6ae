#include "bplab/datasets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace bplab {
namespace {

constexpr double pi = 3.14159265358979323846;

void add(Dataset& d, double x, double y, double label) {
    d.points.push_back(x);
    d.points.push_back(y);
    d.labels.push_back(label);
}

// Samples of class k when n are shared among `classes` (the first classes get the remainder).
std::size_t share(std::size_t n, std::size_t classes, std::size_t k) {
    return n / classes + (k < n % classes ? 1 : 0);
}

void circle(Dataset& d, std::size_t n, double noise, Rng& rng) {
    const double radius = 5.0;
    auto label = [&](double x, double y) { return std::hypot(x, y) < radius * 0.5 ? 1.0 : 0.0; };
    auto ring = [&](std::size_t count, double r_min, double r_max) {
        for (std::size_t i = 0; i < count; ++i) {
            const double r = rng.uniform(r_min, r_max);
            const double angle = rng.uniform(0.0, 2.0 * pi);
            const double x = r * std::sin(angle);
            const double y = r * std::cos(angle);
            const double noise_x = rng.uniform(-radius, radius) * noise;
            const double noise_y = rng.uniform(-radius, radius) * noise;
            add(d, x, y, label(x + noise_x, y + noise_y));
        }
    };
    ring(share(n, 2, 0), 0.0, radius * 0.5);
    ring(share(n, 2, 1), radius * 0.7, radius);
}

void xor_quadrants(Dataset& d, std::size_t n, double noise, Rng& rng) {
    const double padding = 0.3;
    for (std::size_t i = 0; i < n; ++i) {
        double x = rng.uniform(-5.0, 5.0);
        x += x > 0 ? padding : -padding;
        double y = rng.uniform(-5.0, 5.0);
        y += y > 0 ? padding : -padding;
        const double noise_x = rng.uniform(-5.0, 5.0) * noise;
        const double noise_y = rng.uniform(-5.0, 5.0) * noise;
        add(d, x, y, (x + noise_x) * (y + noise_y) >= 0 ? 1.0 : 0.0);
    }
}

// The playground's pair: class 1 around (2, 2), class 0 around (-2, -2).
void gauss_pair(Dataset& d, std::size_t n, double noise, Rng& rng) {
    const double stddev = std::sqrt(0.5 + noise * 7.0);  // variance 0.5 … 4 as noise goes 0 … 0.5
    for (std::size_t k = 0; k < 2; ++k) {
        const double centre = k == 0 ? 2.0 : -2.0;
        for (std::size_t i = 0; i < share(n, 2, k); ++i) {
            const double x = rng.normal(centre, stddev);
            const double y = rng.normal(centre, stddev);
            add(d, x, y, k == 0 ? 1.0 : 0.0);
        }
    }
}

// One gaussian blob per class, the centres evenly spread on a circle of radius 3.5.
void blob_ring(Dataset& d, std::size_t n, std::size_t classes, double noise, Rng& rng) {
    const double stddev = std::sqrt(0.2 + noise * 4.0);
    for (std::size_t k = 0; k < classes; ++k) {
        const double angle = pi / 2.0 + 2.0 * pi * static_cast<double>(k) / classes;
        const double cx = 3.5 * std::cos(angle);
        const double cy = 3.5 * std::sin(angle);
        for (std::size_t i = 0; i < share(n, classes, k); ++i) {
            const double x = rng.normal(cx, stddev);
            const double y = rng.normal(cy, stddev);
            add(d, x, y, static_cast<double>(k));
        }
    }
}

// The playground's two spirals (class 1 at angle 0, class 0 at pi); with more
// classes, arm k starts at 2 pi k / classes.
void spiral(Dataset& d, std::size_t n, std::size_t classes, double noise, Rng& rng) {
    for (std::size_t arm = 0; arm < classes; ++arm) {
        const std::size_t count = share(n, classes, arm);
        const double delta = 2.0 * pi * static_cast<double>(arm) / classes;
        const double label = classes == 2 ? (arm == 0 ? 1.0 : 0.0) : static_cast<double>(arm);
        for (std::size_t i = 0; i < count; ++i) {
            const double frac = static_cast<double>(i) / count;
            const double r = frac * 5.0;
            const double t = 1.75 * frac * 2.0 * pi + delta;
            const double x = r * std::sin(t) + rng.uniform(-1.0, 1.0) * noise;
            const double y = r * std::cos(t) + rng.uniform(-1.0, 1.0) * noise;
            add(d, x, y, label);
        }
    }
}

template <class LabelOf>
void regression(Dataset& d, std::size_t n, double noise, Rng& rng, LabelOf label_of) {
    const double radius = 6.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = rng.uniform(-radius, radius);
        const double y = rng.uniform(-radius, radius);
        const double noise_x = rng.uniform(-radius, radius) * noise;
        const double noise_y = rng.uniform(-radius, radius) * noise;
        add(d, x, y, label_of(x + noise_x, y + noise_y));
    }
}

double plane_label(double x, double y) { return (x + y) / 10.0; }  // [-10, 10] → [-1, 1]

// The sign of the gaussian bump nearest in value, scaled from 1 at its centre to 0 at distance 2.
double multigauss_label(double x, double y) {
    static constexpr std::array<std::array<double, 3>, 6> bumps{{
        {-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1},
    }};
    double label = 0.0;
    for (const auto& [cx, cy, sign] : bumps) {
        const double scaled = std::clamp(1.0 - std::hypot(x - cx, y - cy) / 2.0, 0.0, 1.0);
        const double candidate = sign * scaled;
        if (std::abs(candidate) > std::abs(label)) label = candidate;
    }
    return label;
}

}  // namespace

Dataset generate_dataset(const DatasetConfig& c, Rng& rng) {
    Dataset d;
    d.points.reserve(2 * c.samples);
    d.labels.reserve(c.samples);
    d.classes = takes_classes(c.kind) ? c.classes : 2;
    switch (c.kind) {
        case DatasetKind::circle: circle(d, c.samples, c.noise, rng); break;
        case DatasetKind::xor_: xor_quadrants(d, c.samples, c.noise, rng); break;
        case DatasetKind::gauss: gauss_pair(d, c.samples, c.noise, rng); break;
        case DatasetKind::blobs: blob_ring(d, c.samples, c.classes, c.noise, rng); break;
        case DatasetKind::spiral: spiral(d, c.samples, c.classes, c.noise, rng); break;
        case DatasetKind::plane:
            d.classes = 0;
            regression(d, c.samples, c.noise, rng, plane_label);
            break;
        case DatasetKind::multigauss:
            d.classes = 0;
            regression(d, c.samples, c.noise, rng, multigauss_label);
            break;
    }
    return d;
}

void split_dataset(const Dataset& all, double train_ratio, Rng& rng, Dataset& train,
                   Dataset& test) {
    std::vector<std::size_t> order(all.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    rng.shuffle(order);
    const auto n_train = static_cast<std::size_t>(std::floor(all.size() * train_ratio));
    train = Dataset{};
    test = Dataset{};
    train.classes = test.classes = all.classes;
    for (std::size_t i = 0; i < order.size(); ++i) {
        Dataset& part = i < n_train ? train : test;
        const std::size_t k = order[i];
        add(part, all.points[2 * k], all.points[2 * k + 1], all.labels[k]);
    }
}

}  // namespace bplab
