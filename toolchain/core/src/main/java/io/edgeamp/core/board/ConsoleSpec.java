package io.edgeamp.core.board;

/**
 * The UART that carries the firmware harness protocol (DESIGN.md). YAML: {@code console}.
 *
 * @param uart the board's name for the UART ({@code UART0}, {@code USART2}, {@code SCIA})
 * @param baud the baud rate, 8N1
 */
public record ConsoleSpec(String uart, int baud) {}
