package io.edgeamp.core.quant.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AllocatorsTest {

    @Test
    void eachNameGivesThatAllocator() {
        assertEquals(List.of("greedy-ti", "greedy-omega", "ilp", "dp"), Allocators.NAMES);
        for (String name : Allocators.NAMES) {
            assertEquals(name, Allocators.byName(name).name());
            assertEquals(name, Allocators.byName("  " + name.toUpperCase() + " ").name());
        }
        assertEquals("greedy-ti", Allocators.defaultAllocator().name());
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Allocators.byName("greedy"));
        assertTrue(e.getMessage().contains("'greedy'"), e.getMessage());
        assertTrue(e.getMessage().contains("greedy-ti, greedy-omega, ilp, dp"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Allocators.byName(null));
    }
}
