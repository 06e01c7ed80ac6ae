#pragma once
// Counts heap allocations while a Counting object is alive (the global
// operator new is replaced in allocations.cpp).
#include <cstddef>

namespace bplab_test {

std::size_t allocations_counted();

class CountAllocations {
public:
    CountAllocations();
    ~CountAllocations();
    std::size_t count() const;

private:
    std::size_t start_;
};

}  // namespace bplab_test
