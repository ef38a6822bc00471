import { type Mailer, parseAddress } from "@allot/core/notification";
import { envForLink } from "@allot/stacks/env";
import { SESv2Client, type SendEmailCommand } from "@aws-sdk/client-sesv2";
import { traced } from "../tracing.js";
import { fileMailer } from "./file-mailer.js";
import { sesMailer } from "./ses-mailer.js";

/** Set by the local runtime to `<data folder>/outbox`; never set on AWS. */
export const MAIL_DIR_ENV = "ALLOT_MAIL_DIR";
export const DEFAULT_MAIL_FROM = "Allot <no-reply@allot.local>";

export interface MailSetup {
  mailer: Mailer;
  from: string;
  transport: "file" | "ses";
}

/** The outbox folder when the local runtime names one, SES otherwise; the sender from the mail link. */
export const mailerFromEnv = (env: NodeJS.ProcessEnv = process.env): MailSetup => {
  const from = env[envForLink({ kind: "mail" })]?.trim() || DEFAULT_MAIL_FROM;
  // A sender no message can carry should stop the function at its first use, not at each send.
  parseAddress(from);
  const dir = env[MAIL_DIR_ENV]?.trim();
  if (dir) return { mailer: fileMailer(dir), from, transport: "file" };
  let client: SESv2Client | undefined;
  // The client is made on the first send, so a function that never mails never builds one.
  const lazy = {
    send: (command: SendEmailCommand) => {
      client ??= traced(new SESv2Client({}));
      return client.send(command);
    },
  };
  return { mailer: sesMailer(lazy), from, transport: "ses" };
};
