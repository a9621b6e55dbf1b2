/** Calendars, events, address books, contacts and correspondents of a scenario. */
import { z } from 'zod';
import { posInt, TimeZone } from './spec-values';

/**
 * "+3d 09:30" / "-2d" / "-14d mon 08:00" (days from the simulator's now, optionally moved on to a weekday,
 * wall time in the event's zone) or an absolute "2025-03-05T09:30" / "2025-03-05".
 */
const EventTime = z
  .string()
  .regex(
    /^([+-]\d+d(\s+(mon|tue|wed|thu|fri|sat|sun))?(\s+\d{1,2}:\d{2})?|\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)$/i,
    'expected "+3d 09:30", "-14d mon 08:00", "-2d" or "2025-03-05T09:30"',
  );

export const EventSpec = z.strictObject({
  id: posInt().optional(),
  title: z.string(),
  description: z.string().default(''),
  location: z.string().default(''),
  start: EventTime,
  end: EventTime.optional(),
  /** Used when end is absent: "90m", "2h", "3d". Default 1h, or 1 day for all-day events. */
  duration: z.string().optional(),
  all_day: z.boolean().default(false),
  timezone: TimeZone.optional(),
  timezone_end: TimeZone.optional(),
  rrule: z.string().optional(),
  attendees: z
    .array(
      z.strictObject({
        address: z.string(),
        name: z.string().default(''),
        organizer: z.boolean().default(false),
        state: z.enum(['NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE']).default('NEEDS-ACTION'),
      }),
    )
    .default([]),
  alarms: z.array(z.strictObject({ trigger: z.string(), action: z.string().default('DISPLAY') })).default([]),
  freebusy: z.enum(['busy', 'free']).default('busy'),
  private: z.boolean().default(false),
  attachments: z.array(z.strictObject({ name: z.string(), url: z.string() })).default([]),
});

export const CalendarSpec = z.strictObject({
  id: posInt().optional(),
  name: z.string(),
  color: z.string().default('#3C8CE7'),
  is_default: z.boolean().default(false),
  description: z.string().default(''),
  events: z.array(EventSpec).default([]),
  /** Event records served exactly as written (bad or odd ones: `start: 1e20`…), in every listing. */
  raw_events: z.array(z.record(z.string(), z.unknown())).default([]),
});

const PhotoSpec = z.union([
  z.strictObject({ seed: z.string() }),
  z.strictObject({ base64: z.string(), mime_type: z.string().default('image/png') }),
]);

export const ContactSpec = z.strictObject({
  id: posInt().optional(),
  firstname: z.string().default(''),
  lastname: z.string().default(''),
  nickname: z.string().optional(),
  organization: z.string().optional(),
  job_title: z.string().optional(),
  emails: z.array(z.strictObject({ address: z.string(), type: z.string().default('home') })).default([]),
  phones: z.array(z.strictObject({ number: z.string(), type: z.string().default('mobile') })).default([]),
  addresses: z
    .array(
      z.strictObject({
        type: z.string().default('home'),
        street: z.string().default(''),
        zip: z.string().default(''),
        city: z.string().default(''),
        region: z.string().default(''),
        country: z.string().default(''),
      }),
    )
    .default([]),
  birthday: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .optional(),
  note: z.string().optional(),
  website: z.string().optional(),
  photo: PhotoSpec.optional(),
});

/** Someone the user only corresponded with: listed by `with=others` as `other: true`, in no book [seen]. */
export const CorrespondentSpec = z.strictObject({
  id: posInt().optional(),
  name: z.string().default(''),
  email: z.string(),
});

export const AddressBookSpec = z.strictObject({
  id: posInt().optional(),
  uuid: z.string().optional(),
  name: z.string(),
  default: z.boolean().default(false),
  account_name: z.string().optional(),
  color: z.string().default('#7974B4'),
  contacts: z.array(ContactSpec).default([]),
});
