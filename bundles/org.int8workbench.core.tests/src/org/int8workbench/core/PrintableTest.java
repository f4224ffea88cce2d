package org.int8workbench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void controlCharactersFromAModelCannotForgeLinesOrRetitleTheTerminal() {
        assertEquals("conv\\nint8wb: done\\r\\x1b]0;owned\\x07", Printable.of("conv\nint8wb: done\r\u001b]0;owned\u0007"));
        assertEquals("a\\x7fb\\x9bc\\u202ed", Printable.of("a\u007fb\u009bc\u202ed"));
        String plain = "Conv_12 (Résumé, 猫)";
        assertSame(plain, Printable.of(plain), "ordinary text is returned as it is");
        assertEquals("line 1\nline 2\tx\\x1b", Printable.lines("line 1\nline 2\tx\u001b"));
    }
}
