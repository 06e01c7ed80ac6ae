#include "allocations.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<int> counting{0};
std::atomic<std::size_t> counted{0};
std::atomic<long> fail_in{-1};  // allocations until the one that fails; -1: none fails

void count_or_fail() {
    if (counting.load() > 0) counted.fetch_add(1);
    if (fail_in.load() < 0) return;
    if (fail_in.fetch_sub(1) == 0) throw std::bad_alloc();
}

void* allocate(std::size_t n) {
    count_or_fail();
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}

void* allocate_aligned(std::size_t n, std::align_val_t alignment) {
    count_or_fail();
    const auto a = static_cast<std::size_t>(alignment);
    const std::size_t rounded = (n + a - 1) / a * a;
    if (void* p = std::aligned_alloc(a, rounded == 0 ? a : rounded)) return p;
    throw std::bad_alloc();
}

// The nothrow forms: nullptr instead of bad_alloc (a planned failure included).
template <class Allocate>
void* or_null(Allocate allocate) noexcept {
    try {
        return allocate();
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}

}  // namespace

// Every form of the global operator new and delete, so that all of the program's memory (Catch2's
// included) goes through malloc and free and a sanitizer sees no mismatch between them.
void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return or_null([n] { return allocate(n); }); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return or_null([n] { return allocate(n); }); }
void* operator new(std::size_t n, std::align_val_t a) { return allocate_aligned(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocate_aligned(n, a); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return or_null([n, a] { return allocate_aligned(n, a); });
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return or_null([n, a] { return allocate_aligned(n, a); });
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

namespace bplab_test {

std::size_t allocations_counted() { return counted.load(); }

CountAllocations::CountAllocations() : start_(counted.load()) { counting.fetch_add(1); }
CountAllocations::~CountAllocations() { counting.fetch_sub(1); }
std::size_t CountAllocations::count() const { return counted.load() - start_; }

FailAllocation::FailAllocation(long after) { fail_in.store(after); }
FailAllocation::~FailAllocation() { fail_in.store(-1); }
bool FailAllocation::failed() const { return fail_in.load() < 0; }

}  // namespace bplab_test
