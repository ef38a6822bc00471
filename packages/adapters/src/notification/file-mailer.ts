import { randomUUID } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { type Mailer, renderMessage } from "@allot/core/notification";

// The local transport: one RFC 5322 message per file, `<dir>/<notificationId>.eml`, which any
// mail client opens. A message is written to a hidden temporary file and renamed into place,
// so a reader of the folder never sees half a message; the name is the notification id, so a
// re-send replaces the file instead of adding a second.

const SAFE_NAME = /^[A-Za-z0-9_-]{1,200}$/;

/** Headers every automatic mail carries: RFC 3834 keeps auto-responders from answering it. */
export const automaticHeaders = (notificationId: string) => ({
  "Auto-Submitted": "auto-generated",
  "X-Allot-Notification-Id": notificationId,
});

export const fileMailer = (dir: string): Mailer => ({
  async send(message) {
    // The id becomes a file name: nothing that could climb out of the folder or hide a file.
    if (!SAFE_NAME.test(message.notificationId)) {
      throw new RangeError(`"${message.notificationId}" cannot name an outbox file`);
    }
    const content = renderMessage({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      date: message.date,
      messageId: message.notificationId,
      headers: automaticHeaders(message.notificationId),
    });
    await mkdir(dir, { recursive: true });
    const target = join(dir, `${message.notificationId}.eml`);
    const temp = join(dir, `.${message.notificationId}.${randomUUID()}.tmp`);
    try {
      const file = await open(temp, "wx");
      try {
        await file.writeFile(content, "utf8");
        // Flushed before the rename, so after a crash the name never points at an empty file.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  },
});
