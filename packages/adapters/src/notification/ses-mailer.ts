import { formatAddress, type Mailer } from "@allot/core/notification";
import { SendEmailCommand } from "@aws-sdk/client-sesv2";

/** What the mailer needs of an SESv2Client, so a test can hand it a recorder. */
export interface SesSender {
  send(command: SendEmailCommand): Promise<unknown>;
}

// SES tag values allow only ASCII letters, digits, "_" and "-", at most 256; notification ids already fit.
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256);

/**
 * The AWS transport. SES has no idempotency key, so a send cannot be made idempotent here;
 * the notification id travels as a message tag (and header) so that a duplicate, rare as
 * `notify` keeps it, can be told apart in SES's event stream.
 */
export const sendEmailCommand = (message: Parameters<Mailer["send"]>[0], configurationSetName?: string) =>
  new SendEmailCommand({
    // SES wants non-ASCII display names as RFC 2047 encoded words, which formatAddress writes.
    FromEmailAddress: formatAddress(message.from),
    Destination: { ToAddresses: [formatAddress(message.to)] },
    Content: {
      Simple: {
        Subject: { Data: message.subject, Charset: "UTF-8" },
        Body: { Text: { Data: message.text, Charset: "UTF-8" } },
        Headers: [
          { Name: "Auto-Submitted", Value: "auto-generated" },
          { Name: "X-Allot-Notification-Id", Value: message.notificationId },
        ],
      },
    },
    EmailTags: [{ Name: "notificationId", Value: tagValue(message.notificationId) }],
    ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
  });

export const sesMailer = (client: SesSender, options: { configurationSetName?: string } = {}): Mailer => ({
  async send(message) {
    await client.send(sendEmailCommand(message, options.configurationSetName));
  },
});
