"""Demo data of the articles app for `manage.py load_demo`.

About twenty troubleshooting articles written for this project (not copied
from the help center page), across the categories, owned by the demo editor:
most published, a few drafts or in review, some overdue for review, one with
a history of revisions. The six that answer the help center page's problems
sit on a demo "troubleshooting" page so Import/Export has something to export.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from articles import services
from articles.models import Article, HelpCenterPage, IssueCategory

SUPPORT = "[support@example.com](mailto:support@example.com)"
BILLING = "[billing@example.com](mailto:billing@example.com)"


@dataclass(frozen=True)
class DemoArticle:
    # The six on the troubleshooting page carry the slugs of the real page's
    # headings: importing that page then gives them its text as a new revision,
    # and the knowledge base keeps one article per problem, never two.
    slug: str
    category: str
    title: str
    body: str
    status: str = "published"
    # Days from today to the review date; negative is overdue.
    review_in: int = 60
    on_page: bool = False
    # Earlier texts, oldest first, saved as revisions before ``body``.
    earlier: tuple[tuple[str, str], ...] = ()


ARTICLES = [
    DemoArticle(
        "i-cant-log-in-to-my-account",
        "sign-in",
        "I can't sign in to my account",
        f"""Most sign-in trouble comes from using a different method than the one the
account was created with. We offer **Google, Facebook, Discord and email** sign-in,
and each one is a separate door.

1. On the sign-in screen, try the provider you most likely used when you joined.
2. If you joined through Google, Facebook or Discord, there is no password to type:
   press that provider's button.
3. If you joined with email, use **Forgot password?** to get a reset link (check spam
   too), then choose a new password.

Still stuck?

* Open a private window, or another browser, and try again.
* Turn off ad blockers and privacy extensions for our site.
* Check that your computer's clock is right: a clock that is off by minutes can make
  sign-in tokens look expired.

Write to {SUPPORT} with the email on your account and the exact error message.""",
        review_in=-12,
        on_page=True,
    ),
    DemoArticle(
        "password-reset-email-missing",
        "sign-in",
        "The password reset email never arrives",
        f"""Reset emails usually arrive within a minute or two.

* Look in spam, promotions and any filtered folders for a message from us.
* Make sure you typed the address the account was created with; we only send to
  that address.
* If you originally joined with Google, Facebook or Discord, there is no password to
  reset: sign in with that provider instead.
* Ask for a new link only once every few minutes; each new request cancels the
  earlier link.

If nothing arrives after 15 minutes, write to {SUPPORT} from the address you use
with us.""",
    ),
    DemoArticle(
        "change-account-email",
        "sign-in",
        "How do I change the email address on my account?",
        f"""Email sign-in accounts can change their address under **Settings → Account**.
We send a confirmation link to the new address; the change happens when you open it.

Accounts created with Google, Facebook or Discord take their address from that
provider, so change it there. If you have lost access to the old address, write to
{SUPPORT} from the new one and tell us the old address.""",
        status="draft",
    ),
    DemoArticle(
        "pro-models-are-locked-after-i-upgraded",
        "plans",
        "Pro models are still locked after I upgraded",
        f"""An upgrade normally unlocks Pro models straight away. When it does not:

1. **Reload the page.** The model list is loaded once and may still show your old plan.
2. **Sign out and back in** so your session picks up the new plan.
3. **Open Billing & Subscription** and confirm the upgrade went through. A declined
   card leaves you on the old plan; fix the payment first.
4. **Give it five minutes.** Now and then a plan change takes up to 5 minutes to
   reach every server.

If the models are still locked after that, email {SUPPORT} with your account email
and the plan you bought.""",
        review_in=-3,
        on_page=True,
        earlier=(
            (
                "Pro models are still locked after I upgraded",
                "Reload the page, then sign out and back in. If that does not help, "
                f"email {SUPPORT}.",
            ),
        ),
    ),
    DemoArticle(
        "which-plan-is-right",
        "plans",
        "Which plan should I choose?",
        """Every plan uses the same models; plans differ in monthly credits, Pro model
access, how many jobs run at once, and commercial rights.

* **Free**: a small daily allowance of credits, standard models, personal use.
* **Basic**: monthly credits for regular use, faster queue.
* **Pro**: Pro models, more credits, several generations at the same time,
  commercial use.

You can move up at any time; the new plan starts immediately. Moving down takes
effect at the end of the current billing period.""",
    ),
    DemoArticle(
        "my-generation-failed-or-produced-an-error",
        "failed-generations",
        "My generation failed or shows an error",
        f"""A failed job is usually one of four things:

* **A busy moment on our side.** Submit the same job again; most failures do not repeat.
* **The prompt was blocked** because it breaks the content rules. Rephrase it; see the
  [content guidelines](/policies/terms-and-conditions).
* **Settings a model does not support**, such as an unusual aspect ratio or size. Pick
  a standard size and try again.
* **The browser.** Clear the cache, disable extensions or switch browsers.

Failed jobs normally do not use credits. If credits did go, email {SUPPORT} with the
date and roughly what time the job failed so we can find it.""",
        review_in=-30,
        on_page=True,
    ),
    DemoArticle(
        "video-stuck-at-90",
        "failed-generations",
        "My video is stuck at 90% and never finishes",
        f"""The last part of a video job is encoding and upload, which can look frozen.

1. Wait two more minutes, then reload the page: finished videos appear in your Gallery
   even if the progress bar never moved.
2. If it is not in the Gallery, start the job again with a shorter duration or a
   lower resolution.
3. If several videos stop at the same point, write to {SUPPORT} with the prompt and
   the time; we check whether credits were taken.""",
    ),
    DemoArticle(
        "prompt-blocked",
        "failed-generations",
        "Why was my prompt blocked?",
        """Prompts are checked against our content rules before a job starts. Prompts
about real people in compromising situations, graphic violence or sexual content
involving anyone who could be a minor are refused.

A blocked prompt does not use credits. If you think a harmless prompt was blocked,
reword it (names of brands and public figures trigger the check most often) or send
it to us so we can tune the filter.""",
        status="in_review",
    ),
    DemoArticle(
        "my-generations-are-very-slow",
        "slow-generations",
        "My generations are taking a long time",
        f"""How long a job takes depends on the model, the settings and how busy we are.
As a rule of thumb:

* **Images:** about 4 to 15 seconds
* **Videos:** about 30 to 60 seconds

If yours regularly take much longer:

* **Busy periods.** Demand peaks in the evening in Europe and the US; try again a
  few minutes later.
* **Heavy models.** Some models are simply slower; try a lighter one.
* **Big outputs.** Higher resolution, more images per job and longer videos all take
  longer. Reduce one of them.
* **Your connection.** A slow or unstable connection delays the result reaching you.

If every model is slow across several sessions, tell {SUPPORT}.""",
        review_in=20,
        on_page=True,
        earlier=(
            (
                "My generations are slow",
                "Images take a few seconds and videos about a minute. Try again later.",
            ),
            (
                "My generations are taking a long time",
                "Images take about 4 to 15 seconds and videos 30 to 60 seconds. "
                "Try a lighter model or smaller settings.",
            ),
        ),
    ),
    DemoArticle(
        "queue-position",
        "slow-generations",
        "My job says it is waiting in a queue",
        """When many people generate at once, jobs wait their turn. Paid plans have
their own, shorter queue, and Pro runs several of your jobs at the same time.

Leaving the page does not cancel a queued job: it will appear in your Gallery when
it is done. Submitting the same job again adds a second one and uses credits twice.""",
    ),
    DemoArticle(
        "my-credits-havent-refreshed",
        "credits",
        "My credits did not refresh",
        f"""**Subscription credits** come back on your billing anniversary: the day of the
month you first subscribed, not the 1st. To see the date:

1. Click your **profile picture** at the top right.
2. Open **Billing & Subscription**.
3. Read the **next renewal date**.

If that date has passed and the credits have not:

* Check that the subscription is active and the card valid; a failed payment
  pauses the subscription and its credits.
* Sign out and back in.

**Free credits** come back 24 hours after they were last given to you, not at
midnight. If a full day has passed, sign out and back in.

Still missing? Send {SUPPORT} your account email and a screenshot of the credits
window.""",
        review_in=-60,
        on_page=True,
    ),
    DemoArticle(
        "credits-used-by-failed-job",
        "credits",
        "Credits were taken for a generation that failed",
        f"""Credits are normally returned automatically within a few minutes when a job
fails. Reload the page to see the updated balance.

If they did not come back, email {SUPPORT} with the date, approximate time and the
prompt; we will check the job and add the credits back by hand.""",
    ),
    DemoArticle(
        "buy-more-credits",
        "credits",
        "Can I buy extra credits without changing plan?",
        """Yes. Paid plans can buy credit packs under **Billing & Subscription → Credit
packs**. Pack credits are used after your monthly credits, do not expire while the
subscription is active, and are not refundable once some are used.""",
    ),
    DemoArticle(
        "i-cant-find-a-generation-i-made-earlier",
        "gallery",
        "I can't find a generation I made earlier",
        f"""Everything you generate is kept in your **Gallery**:

1. Click your **profile picture** at the top right.
2. Choose **My Gallery**, or open your profile page.

Check that you are signed in to the right account: people with both a Google and an
email account often look in the wrong one.

Deleted generations cannot be recovered; there is no bin. If something vanished
that you did not delete, write to {SUPPORT} with the rough date you made it and
your account email.""",
        on_page=True,
    ),
    DemoArticle(
        "download-full-resolution",
        "gallery",
        "How do I download the full-resolution file?",
        """Open the image or video in your Gallery and use **Download**. The preview on
the page is compressed; the download is the original. Upscaled versions are saved
next to the original with their own Download button.""",
        review_in=-5,
    ),
    DemoArticle(
        "refund-request",
        "billing",
        "How do I ask for a refund?",
        f"""If you were charged for a renewal you did not want, write to {BILLING} within
14 days of the charge with the email on your account and the last four digits of the
card. We refund renewals where few or no credits of the new period were used.

Credit packs and charges older than 14 days are not refundable, except where the law
where you live says otherwise.""",
        review_in=-45,
    ),
    DemoArticle(
        "invoice-receipt",
        "billing",
        "Where do I find invoices and receipts?",
        f"""Every payment has a receipt under **Billing & Subscription → Payment history**.
Click a payment to download a PDF invoice.

To add a company name, address or VAT number, fill in **Billing details** before
the next payment; we cannot change invoices already issued, but {BILLING} can issue
a corrected copy if you ask within the same month.""",
    ),
    DemoArticle(
        "charged-twice",
        "billing",
        "I was charged twice",
        f"""A second line on your statement is often a temporary card check that
disappears within a few days. If both charges are still there after five working
days, send {BILLING} the dates and amounts and the last four digits of the card; we
refund the duplicate.""",
        status="draft",
    ),
    DemoArticle(
        "cancel-subscription",
        "billing",
        "How do I cancel my subscription?",
        """Go to **Billing & Subscription** and press **Cancel subscription**. You keep
your plan and credits until the end of the period you paid for; after that the
account falls back to the Free plan and nothing is charged again.

Cancelling does not delete your account or your Gallery.""",
        review_in=10,
    ),
    DemoArticle(
        "delete-account",
        "sign-in",
        "How do I delete my account?",
        f"""Go to **Settings → Account → Delete account** and confirm with your password
or sign-in provider. Deleting removes your Gallery and remaining credits for good and
cannot be undone; cancel any subscription first so you are not charged again.

If you cannot sign in any more, write to {SUPPORT} from the account's email address
and we delete it for you within 30 days.""",
    ),
    DemoArticle(
        "commercial-use",
        "other",
        "Can I use my generations commercially?",
        """On paid plans you may use what you generate commercially: ads, products,
client work. On the Free plan generations are for personal use only.

In every case you are responsible for not infringing other people's rights, for
example trademarks or a real person's likeness. See the terms of service for the
full wording.""",
        review_in=-1,
    ),
]

PAGE_HEAD = """# Troubleshooting

> Fixes for the problems people most often write to us about.

Start with the problem that looks like yours. If none does, write to
[support@example.com](mailto:support@example.com).

"""
PAGE_TAIL = """
## Still need help?

* **Everything else:** [support@example.com](mailto:support@example.com)
* **Payments and invoices:** [billing@example.com](mailto:billing@example.com)

Tell us the email on your account and what you saw on screen.
"""


def load(*, users: dict, stdout) -> None:
    """Create the demo articles; running twice must not duplicate anything."""
    editor = users.get("eddie")
    page, _ = HelpCenterPage.objects.get_or_create(
        slug="troubleshooting",
        defaults={"title": "Troubleshooting", "head": PAGE_HEAD, "tail": PAGE_TAIL},
    )
    categories = {c.slug: c for c in IssueCategory.objects.all()}
    today = timezone.localdate()
    created = 0
    for position, spec in enumerate(ARTICLES):
        if Article.objects.filter(slug=spec.slug).exists():
            continue
        versions = [*spec.earlier, (spec.title, spec.body)]
        first_title, first_body = versions[0]
        article = services.create_article(
            title=first_title,
            body=first_body,
            by=editor,
            owner=editor,
            category=categories.get(spec.category),
            slug=spec.slug,
            page=page if spec.on_page else None,
            position=position,
        )
        for title, body in versions[1:]:
            if spec.status == "published" and not article.published_revision_id:
                services.publish_article(article, by=editor)  # the older text was live once
            services.save_revision(
                article,
                title=title,
                body=body,
                by=editor,
                base_revision=article.current_revision,
                note="Clearer steps and real timings",
            )
        if spec.status == "published":
            services.publish_article(article, by=editor)
            Article.objects.filter(pk=article.pk).update(
                review_due=today + timedelta(days=spec.review_in)
            )
        elif spec.status == "in_review":
            services.send_for_review(article, by=editor)
        created += 1
    stdout.write(f"Articles: {created} created, {len(ARTICLES) - created} already there.")
