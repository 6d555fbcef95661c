# ruff: noqa: E501  (sentences read better unbroken)
"""Realistic ticket text for the demo and the benchmark dataset.

Per issue category (slugs of articles' migration 0002): subjects, customers'
first messages, follow-ups, agents' replies and internal notes, in the voice
of the image and video generation service the help center describes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    category: str
    inbox: str  # slug of the inbox such mail goes to
    subjects: tuple[str, ...]
    messages: tuple[str, ...]
    replies: tuple[str, ...]


TOPICS = (
    Topic(
        "sign-in",
        "general",
        (
            "Can't log in to my account",
            "Login keeps failing with Google",
            "Password reset email never arrives",
            "Locked out after changing my email",
            "Discord sign-in loops back to the start",
        ),
        (
            "I signed up last month and now I cannot log in at all. It says my password is wrong but I never set one.",
            "Every time I click Continue with Google it sends me back to the sign-in page. I cleared cookies already.",
            "I asked for a password reset three times today and nothing arrived, not even in spam.",
            "After I changed the email on my account I can no longer sign in with either address.",
            "The Discord button opens a window, I approve, and then I'm back on the login screen without being signed in.",
        ),
        (
            "Thanks for reaching out. It looks like you registered with Google, so there is no password to enter: please use the Google button on the sign-in screen.",
            "Could you try a private window with extensions disabled? Privacy shields often block the sign-in redirect.",
            "I've re-sent the reset link from our side. Please check that your device clock is correct, as expired tokens fail silently.",
        ),
    ),
    Topic(
        "plans",
        "general",
        (
            "Pro models still locked after upgrading",
            "Upgraded but my plan still shows Free",
            "How do I switch from monthly to yearly?",
            "Team plan seats not showing",
        ),
        (
            "I upgraded to Pro an hour ago and paid, but the Pro models are still locked for me.",
            "My card was charged for the upgrade but the account page still says Free plan.",
            "I'd like to move to the yearly plan, do I lose my remaining credits if I switch now?",
            "We bought a team plan with five seats but my colleagues still see the Free plan.",
        ),
        (
            "Please refresh the page, then sign out and back in: that forces a fresh session with your new plan.",
            "Your upgrade went through on our side. It can take up to five minutes to reach every model, could you try again now?",
            "Switching keeps your credits: they carry over to the new billing period.",
        ),
    ),
    Topic(
        "failed-generations",
        "general",
        (
            "My generation failed",
            "Video stops at 90% and shows an error",
            "Error: generation could not be completed",
            "Image comes out completely black",
            "Upscale fails every time",
        ),
        (
            "Every video I try to generate stops at 90% and then shows 'Something went wrong'.",
            "I keep getting 'generation could not be completed' on the portrait model since this morning.",
            "The images come out completely black with the 16:9 setting. Square works fine.",
            "Upscaling any image fails after a minute. I tried three different images.",
            "My prompt is a simple landscape but it fails with a content warning. I don't understand why.",
        ),
        (
            "Most failures like this are caused by temporary load; could you submit it again? Failed jobs do not use credits.",
            "That model does not support 16:9 at the highest resolution. Please lower the resolution or use 3:2.",
            "Our engineers found an issue with the upscaler this morning and it is fixed now; please try again.",
        ),
    ),
    Topic(
        "slow-generations",
        "general",
        (
            "Generations are very slow today",
            "Video has been processing for an hour",
            "Queue position not moving",
        ),
        (
            "Images used to take a few seconds and now each one takes more than two minutes.",
            "My video has said 'processing' for over an hour. Is it stuck?",
            "I'm at position 40 in the queue and it has not moved in twenty minutes.",
        ),
        (
            "Typical times are 4 to 15 seconds for images and 30 to 60 seconds for videos; at peak hours it can take longer.",
            "Videos that take more than 15 minutes are usually stuck: please cancel and resubmit, the credits are returned.",
        ),
    ),
    Topic(
        "credits",
        "general",
        (
            "Credits disappeared",
            "Charged credits for a failed generation",
            "Monthly credits did not refill",
            "Where did my bonus credits go?",
        ),
        (
            "I had 400 credits yesterday and today I have 12. I only made two images.",
            "A video failed but 60 credits were taken anyway.",
            "My plan renewed on the 3rd but my credits were not refilled.",
            "I got 100 bonus credits from the referral and now they are gone.",
        ),
        (
            "Credits for failed jobs are returned automatically within an hour; I can see the refund on your account now.",
            "Bonus credits expire after 30 days; your monthly credits refill on the renewal date.",
        ),
    ),
    Topic(
        "gallery",
        "general",
        (
            "My gallery is empty",
            "Old generations are missing from history",
            "Can't download my video",
        ),
        (
            "All my images from last week are gone from the gallery.",
            "History only shows the last 30 days; where are my older generations?",
            "The download button does nothing for my video, the image downloads work.",
        ),
        (
            "The gallery filters were set to Favourites only; clearing the filter shows everything again.",
            "Please try the download in another browser: some extensions block large files.",
        ),
    ),
    Topic(
        "billing",
        "billing",
        (
            "Charged twice this month",
            "Refund request",
            "Invoice needed for my company",
            "Card declined but money taken",
            "Cancel my subscription",
            "VAT number missing on invoice",
        ),
        (
            "My card was charged twice for the Pro plan on the same day. Please refund one of them.",
            "I forgot to cancel before the renewal and would like a refund, I haven't used the credits.",
            "Could you send an invoice with my company name and address for the last three months?",
            "The payment page said my card was declined but the bank shows the charge.",
            "Please cancel my subscription, I can't find the option in the app.",
            "Our VAT number is not on the invoices, our accountant needs it.",
        ),
        (
            "I can see the duplicate charge and have refunded it; it takes 5 to 10 business days to show on your statement.",
            "You can cancel under Billing & Subscription; the plan stays active until the end of the period.",
            "I've added your company details; new invoices can be downloaded from the billing page.",
        ),
    ),
    Topic(
        "other",
        "general",
        (
            "Feature request: batch prompts",
            "Question about commercial use",
            "Feedback on the new editor",
        ),
        (
            "It would be great to submit several prompts at once instead of one by one.",
            "Can I use the images I generate for my clients' marketing?",
            "The new editor is great but I miss the old aspect ratio presets.",
        ),
        ("Thanks, I've passed this on to the product team.",),
    ),
)

NOTES = (
    "Checked the logs: the job hit a timeout on the render cluster.",
    "Customer is on the yearly plan; refund needs a manager's OK.",
    "Same problem reported by three others today, see the status page.",
    "Asked engineering, they will look at it tomorrow.",
    "No article covers this yet.",
)

FOLLOW_UPS = (
    "Thanks, that fixed it!",
    "It's still happening, I tried everything you said.",
    "Any news on this?",
    "I did what you said but now I get a different error.",
)

FIRST_NAMES = (
    "Alex", "Sam", "Priya", "Jonas", "Mei", "Lucas", "Fatima", "Noah", "Elena", "Kofi",
    "Hana", "Mateo", "Sofia", "Omar", "Lena", "Ravi", "Chloe", "Diego", "Yuki", "Amara",
)  # fmt: skip
LAST_NAMES = (
    "Silva", "Novak", "Haddad", "Kowalski", "Tanaka", "Okoro", "Rossi", "Dubois", "Berg",
    "Nguyen", "Garcia", "Meyer", "Ivanova", "Costa", "Brennan", "Sato", "Ali", "Jansen",
)  # fmt: skip
DOMAINS = ("mail.example", "inbox.example", "post.example", "studio.example")
