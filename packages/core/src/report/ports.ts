/**
 * What the utilization report reads beyond the program: both kept up to date by the writes
 * that cause them (a reservation's grant and release, the usage counter), so a report reads a
 * few items per day however many awards the program has.
 */
export interface UtilizationRepository {
  /** Per hour slot (UTC ISO), the chips granted reservations held when the hour began; absent when none. */
  bookedChips(programId: string, hours: string[]): Promise<Map<string, number>>;
  /** Per UTC day (YYYY-MM-DD) in [fromDay, toDay], the chip-seconds of counted compute usage; absent when none. */
  usedChipSeconds(programId: string, fromDay: string, toDay: string): Promise<Map<string, number>>;
}
