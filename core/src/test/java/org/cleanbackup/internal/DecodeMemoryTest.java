package org.cleanbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DecodeMemoryTest {

    @Test
    void theBudgetIsAtMostHalfTheHeapAndAtMost256MiB() {
        assertThat(DecodeMemory.budget()).isPositive()
                .isLessThanOrEqualTo(DecodeMemory.most())
                .isLessThanOrEqualTo(256L << 20);
        assertThat(DecodeMemory.most()).isEqualTo(Runtime.getRuntime().maxMemory() / 2);
    }

    @Test
    void aDecodeLargerThanHalfTheHeapIsRefusedBeforeAnythingIsHeld() {
        long tooMuch = DecodeMemory.most() + 1;
        assertThat(DecodeMemory.fits(tooMuch)).isFalse();
        assertThat(DecodeMemory.fits(-1)).isFalse();
        assertThatThrownBy(() -> DecodeMemory.reserve(tooMuch)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DecodeMemory.fits(DecodeMemory.most())).isTrue();
        assertThat(DecodeMemory.withinBudget(DecodeMemory.budget())).isTrue();
        assertThat(DecodeMemory.withinBudget(DecodeMemory.budget() + (1 << 20))).isFalse();
    }

    @Test
    void aDecodeLargerThanTheBudgetRunsAloneAndOthersWaitForIt() throws Exception {
        long big = Math.min(DecodeMemory.most(), DecodeMemory.budget() + (64L << 20));
        CountDownLatch smallGotIt = new CountDownLatch(1);
        Thread small;
        try (DecodeMemory.Lease alone = DecodeMemory.reserve(big)) {
            small = Thread.ofPlatform().start(() -> {
                try (DecodeMemory.Lease lease = DecodeMemory.reserve(1 << 16)) {
                    smallGotIt.countDown();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(smallGotIt.await(300, TimeUnit.MILLISECONDS)).isFalse();
        }
        assertThat(smallGotIt.await(10, TimeUnit.SECONDS)).isTrue();
        small.join();
    }

    @Test
    void twoLargeDecodesTakeTurnsInsteadOfRunningTheHeapOutTogether() throws Exception {
        long most = DecodeMemory.budget() * 3 / 4;
        CountDownLatch secondGotIt = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        AtomicBoolean firstHolds = new AtomicBoolean(true);
        Thread second;
        try (DecodeMemory.Lease first = DecodeMemory.reserve(most)) {
            second = Thread.ofPlatform().start(() -> {
                try (DecodeMemory.Lease lease = DecodeMemory.reserve(most)) {
                    overlapped.set(firstHolds.get());
                    secondGotIt.countDown();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            // while the first lease is held, the second cannot have its memory
            assertThat(secondGotIt.await(300, TimeUnit.MILLISECONDS)).isFalse();
            firstHolds.set(false);
        }
        assertThat(secondGotIt.await(10, TimeUnit.SECONDS)).isTrue();
        second.join();
        assertThat(overlapped).isFalse();
    }

    @Test
    void aClosedLeaseGivesItsMemoryBackOnce() throws Exception {
        DecodeMemory.Lease lease = DecodeMemory.reserve(DecodeMemory.budget());
        lease.close();
        lease.close(); // a second close must not give the memory back twice
        try (DecodeMemory.Lease all = DecodeMemory.reserve(DecodeMemory.budget())) {
            CountDownLatch got = new CountDownLatch(1);
            Thread other = Thread.ofPlatform().start(() -> {
                try (DecodeMemory.Lease more = DecodeMemory.reserve(1 << 16)) {
                    got.countDown();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(got.await(300, TimeUnit.MILLISECONDS)).isFalse();
            all.close();
            assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
            other.join();
        }
    }
}
