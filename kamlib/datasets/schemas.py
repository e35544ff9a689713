"""What each course table holds: its columns, their types and units, and its key.

The schemas drive three things: :func:`kamlib.datasets.load` (types and checks), the data cards
in ``datasets/README.md`` (a test compares them), and the error messages a user sees when their
own CSV does not fit.

Column kinds
------------
``id``       text identifier (never empty)
``text``     free text
``category`` one of a fixed set of labels (``levels``)
``int``      whole number
``float``    real number
``money``    amount in Chinese yuan (CNY), never negative
``date``     calendar date, ISO ``YYYY-MM-DD`` in the CSV
``bool``     ``True``/``False``
"""

from __future__ import annotations

from dataclasses import dataclass

INDUSTRIES = (
    "Automotive",
    "Electronics",
    "Food & beverage",
    "Construction",
    "Chemicals",
    "Logistics",
    "Healthcare",
    "Machinery",
)
REGIONS = ("East", "North", "South", "Central", "West")
SIZE_BANDS = ("Small", "Medium", "Large", "Enterprise")
CATEGORIES = (
    "Fasteners",
    "Bearings",
    "Hydraulics",
    "Electrical",
    "Safety",
    "Packaging",
    "Tools",
    "Lubricants",
)
INTERACTION_TYPES = ("visit", "call", "email", "ticket", "complaint")
SERVICE_ACTIVITIES = (
    *INTERACTION_TYPES,
    "delivery",
    "expedited_delivery",
    "return",
    "order_change",
    "technical_support",
)
LEAD_SOURCES = ("trade_show", "website", "referral", "cold_call", "market_research")
FUNNEL_STAGES = ("lead", "contacted", "qualified", "proposal", "won")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    unit: str = ""
    nullable: bool = False
    levels: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Schema:
    name: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    world: str = "B2B supplier"
    notes: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name, kind, description, unit="", **kw) -> Column:
    return Column(name, kind, description, unit, **kw)


_ACCOUNT = _c("account_id", "id", "Account identifier, e.g. A0001")
_AMOUNT = "CNY"

SCHEMAS: dict[str, Schema] = {
    s.name: s
    for s in [
        Schema(
            "accounts",
            "one business account (a customer company) of the supplier",
            (
                _c("account_id", "id", "Account identifier, e.g. A0001"),
                _c("account_name", "text", "Registered company name"),
                _c("industry", "category", "Industry of the account", levels=INDUSTRIES),
                _c("region", "category", "Sales region served", levels=REGIONS),
                _c("size_band", "category", "Company size by headcount", levels=SIZE_BANDS),
                _c("employees", "int", "Headcount", "people", low=1),
                _c("customer_since", "date", "Date of the first contract with the supplier"),
                _c("account_owner", "text", "Sales representative responsible"),
                _c("credit_limit_cny", "money", "Credit limit granted", _AMOUNT, low=0),
                _c("payment_terms_days", "int", "Agreed payment terms", "days", low=0),
                _c(
                    "est_annual_spend_cny",
                    "money",
                    "Sales team's estimate of the account's total yearly spend on the "
                    "product categories the supplier sells, from any supplier (its wallet)",
                    _AMOUNT,
                    low=0,
                ),
                _c(
                    "strategic_fit",
                    "int",
                    "Sales management's rating of fit with the supplier's strategy",
                    "1-5",
                    low=1,
                    high=5,
                ),
                _c(
                    "sales_tier",
                    "category",
                    "Tier given by the sales managers from experience",
                    levels=("key", "standard"),
                ),
                _c(
                    "acquisition_cost_cny",
                    "money",
                    "Sales and marketing cost spent to win the account",
                    _AMOUNT,
                    low=0,
                ),
                _c(
                    "lost_date",
                    "date",
                    "Date the account moved its business elsewhere; empty while active",
                    nullable=True,
                ),
            ),
            key=("account_id",),
        ),
        Schema(
            "orders",
            "one order placed by an account (one delivery)",
            (
                _c("order_id", "id", "Order identifier, e.g. O000001"),
                _ACCOUNT,
                _c("order_date", "date", "Date the order was placed"),
                _c(
                    "channel",
                    "category",
                    "How the order reached the supplier",
                    levels=("field_sales", "phone", "online", "edi"),
                ),
                _c("n_lines", "int", "Number of order lines", "lines", low=1),
                _c("gross_revenue_cny", "money", "Value at list price", _AMOUNT, low=0),
                _c("discount_cny", "money", "Discount granted", _AMOUNT, low=0),
                _c("net_revenue_cny", "money", "Revenue after discount", _AMOUNT, low=0),
                _c("cogs_cny", "money", "Cost of goods sold", _AMOUNT, low=0),
                _c("expedited", "bool", "Rush delivery requested"),
            ),
            key=("order_id",),
        ),
        Schema(
            "order_lines",
            "one product line of an order",
            (
                _c("order_id", "id", "Order the line belongs to"),
                _c("line_no", "int", "Line number within the order", low=1),
                _c("product_category", "category", "Product category", levels=CATEGORIES),
                _c("quantity", "int", "Units ordered", "units", low=1),
                _c("unit_list_price_cny", "money", "List price per unit", _AMOUNT, low=0),
                _c("discount_rate", "float", "Discount off list price", "share 0-1", low=0, high=1),
                _c("net_revenue_cny", "money", "Line revenue after discount", _AMOUNT, low=0),
                _c("cogs_cny", "money", "Cost of goods for the line", _AMOUNT, low=0),
            ),
            key=("order_id", "line_no"),
        ),
        Schema(
            "service_interactions",
            "one contact between the supplier and an account",
            (
                _c("interaction_id", "id", "Interaction identifier, e.g. S000001"),
                _ACCOUNT,
                _c("interaction_date", "date", "Date of the contact"),
                _c("interaction_type", "category", "Kind of contact", levels=INTERACTION_TYPES),
                _c("duration_minutes", "float", "Staff time spent", "minutes", low=0),
                _c("cost_cny", "money", "Fully loaded cost of the contact", _AMOUNT, low=0),
                _c(
                    "resolution_hours",
                    "float",
                    "Hours until a ticket or complaint was resolved; empty for other contacts",
                    "hours",
                    nullable=True,
                    low=0,
                ),
            ),
            key=("interaction_id",),
        ),
        Schema(
            "service_activity",
            "how often one account used one costed activity in one month",
            (
                _ACCOUNT,
                _c("month", "date", "First day of the month"),
                _c("activity", "category", "Activity counted", levels=SERVICE_ACTIVITIES),
                _c("count", "int", "Times the activity was performed", "times", low=1),
            ),
            key=("account_id", "month", "activity"),
        ),
        Schema(
            "surveys",
            "one satisfaction-survey response from an account",
            (
                _c("response_id", "id", "Response identifier, e.g. R00001"),
                _ACCOUNT,
                _c("survey_date", "date", "Date of the response"),
                _c("csat", "int", "Overall satisfaction", "1-5", low=1, high=5),
                _c("nps", "int", "Likelihood to recommend", "0-10", low=0, high=10),
                _c("product_quality", "int", "Rating of product quality", "1-5", low=1, high=5),
                _c("delivery", "int", "Rating of delivery reliability", "1-5", low=1, high=5),
                _c("price_value", "int", "Rating of value for money", "1-5", low=1, high=5),
                _c(
                    "responsiveness",
                    "int",
                    "Rating of service responsiveness",
                    "1-5",
                    low=1,
                    high=5,
                ),
                _c("account_manager", "int", "Rating of the account manager", "1-5", low=1, high=5),
            ),
            key=("response_id",),
        ),
        Schema(
            "invoices",
            "one invoice, issued for one order",
            (
                _c("invoice_id", "id", "Invoice identifier, e.g. I000001"),
                _c("order_id", "id", "Order invoiced"),
                _ACCOUNT,
                _c("invoice_date", "date", "Date issued"),
                _c("due_date", "date", "Date payment is due (invoice date + terms)"),
                _c(
                    "amount_cny",
                    "money",
                    "Amount invoiced (net revenue of the order)",
                    _AMOUNT,
                    low=0,
                ),
            ),
            key=("invoice_id",),
        ),
        Schema(
            "payments",
            "one payment received against an invoice (an invoice may be paid in parts)",
            (
                _c("payment_id", "id", "Payment identifier, e.g. P000001"),
                _c("invoice_id", "id", "Invoice paid"),
                _ACCOUNT,
                _c("payment_date", "date", "Date the money arrived"),
                _c("amount_cny", "money", "Amount received", _AMOUNT, low=0),
            ),
            key=("payment_id",),
        ),
        Schema(
            "campaign",
            "one account eligible for the 2024 relationship-marketing campaign",
            (
                _ACCOUNT,
                _c("size_band", "category", "Size band at the start", levels=SIZE_BANDS),
                _c(
                    "group",
                    "category",
                    "Random assignment: treatment received the programme, control did not",
                    levels=("treatment", "control"),
                ),
                _c("start_date", "date", "Campaign start"),
                _c(
                    "cost_cny",
                    "money",
                    "Programme cost for the account (0 for control)",
                    _AMOUNT,
                    low=0,
                ),
                _c(
                    "revenue_pre_cny",
                    "money",
                    "Net revenue in the 180 days before the start",
                    _AMOUNT,
                    low=0,
                ),
                _c(
                    "revenue_post_cny",
                    "money",
                    "Net revenue in the 180 days from the start",
                    _AMOUNT,
                    low=0,
                ),
                _c(
                    "active_post",
                    "bool",
                    "Placed at least one order in the 180 days from the start",
                ),
            ),
            key=("account_id",),
        ),
        Schema(
            "crm_kpis",
            "one region in one month: service KPIs around the CRM-system rollout",
            (
                _c("region", "category", "Sales region", levels=REGIONS),
                _c("month", "date", "First day of the month"),
                _c("go_live_month", "date", "Month the region's CRM system went live"),
                _c("crm_live", "bool", "The CRM system was live in the region that month"),
                _c("active_accounts", "int", "Accounts with at least one order that month", low=0),
                _c("tickets", "int", "Tickets and complaints opened", low=0),
                _c(
                    "avg_resolution_hours",
                    "float",
                    "Mean hours to resolve those tickets and complaints",
                    "hours",
                    low=0,
                ),
                _c(
                    "share_resolved_24h",
                    "float",
                    "Share resolved within 24 hours",
                    "share 0-1",
                    low=0,
                    high=1,
                ),
                _c("net_revenue_cny", "money", "Net revenue booked that month", _AMOUNT, low=0),
            ),
            key=("region", "month"),
        ),
        Schema(
            "prospects",
            "one prospect (a lead) worked by the sales team in 2023-2024",
            (
                _c("prospect_id", "id", "Prospect identifier, e.g. L00001"),
                _c("industry", "category", "Industry", levels=INDUSTRIES),
                _c("region", "category", "Region", levels=REGIONS),
                _c("employees", "int", "Headcount", "people", low=1),
                _c("years_in_business", "int", "Years since founding", "years", low=0),
                _c("lead_source", "category", "Where the lead came from", levels=LEAD_SOURCES),
                _c(
                    "website_visits",
                    "int",
                    "Visits to the supplier's website before first contact",
                    low=0,
                ),
                _c("attended_event", "bool", "Came to a supplier event or trade-show stand"),
                _c("first_contact_date", "date", "Date of first contact"),
                _c(
                    "stage_reached",
                    "category",
                    "Furthest funnel stage reached",
                    levels=FUNNEL_STAGES,
                ),
                _c("converted", "bool", "Placed a first order (stage 'won')"),
                _c(
                    "account_id",
                    "id",
                    "Account the prospect became; empty if not converted",
                    nullable=True,
                ),
                _c(
                    "first_order_cny",
                    "money",
                    "Net value of the first order; empty if not converted",
                    _AMOUNT,
                    nullable=True,
                    low=0,
                ),
            ),
            key=("prospect_id",),
        ),
        Schema(
            "legacy_crm",
            "one record in the export of the old CRM system (messy on purpose)",
            (
                _c("legacy_id", "id", "Record number in the old system"),
                _c("company", "text", "Company name as typed", nullable=True),
                _c("region_code", "text", "Region, in several spellings", nullable=True),
                _c(
                    "industry_code",
                    "text",
                    "Industry, in several spellings and codes",
                    nullable=True,
                ),
                _c("phone", "text", "Main phone number, in several formats", nullable=True),
                _c(
                    "created",
                    "text",
                    "Date the record was created, in several formats",
                    nullable=True,
                ),
                _c(
                    "credit_limit",
                    "text",
                    "Credit limit, with currency signs and separators",
                    nullable=True,
                ),
                _c("employees", "text", "Headcount, sometimes approximate", nullable=True),
                _c("owner", "text", "Sales representative", nullable=True),
            ),
            key=(),
            notes="Every column is text: cleaning it is the exercise.",
        ),
        Schema(
            "legacy_crm_key",
            "one legacy record and the account it really belongs to (the answer key)",
            (
                _c("legacy_id", "id", "Record number in the old system"),
                _ACCOUNT,
            ),
            key=("legacy_id",),
        ),
        Schema(
            "members",
            "one member of the online retailer's membership programme",
            (
                _c("member_id", "id", "Member identifier, e.g. M000001"),
                _c(
                    "join_date",
                    "date",
                    "Date of joining, which is also the date of the first purchase",
                ),
                _c("city_tier", "category", "Tier of the member's city", levels=("1", "2", "3")),
                _c(
                    "age_band",
                    "category",
                    "Age band",
                    levels=("18-24", "25-34", "35-44", "45-54", "55+"),
                ),
                _c(
                    "acquisition_channel",
                    "category",
                    "How the member was won",
                    levels=("search", "social", "referral", "marketplace"),
                ),
            ),
            key=("member_id",),
            world="Online retailer (membership case)",
        ),
        Schema(
            "member_purchases",
            "one purchase by a member",
            (
                _c("transaction_id", "id", "Transaction identifier, e.g. T0000001"),
                _c("member_id", "id", "Member who bought"),
                _c("purchase_date", "date", "Date of the purchase"),
                _c("amount_cny", "money", "Basket value", _AMOUNT, low=0),
            ),
            key=("transaction_id",),
            world="Online retailer (membership case)",
        ),
        Schema(
            "member_points",
            "one entry in the loyalty-points ledger",
            (
                _c("entry_id", "id", "Ledger entry identifier"),
                _c("member_id", "id", "Member"),
                _c("entry_date", "date", "Date of the entry"),
                _c(
                    "entry_type",
                    "category",
                    "Earned, redeemed or expired",
                    levels=("earn", "redeem", "expire"),
                ),
                _c("points", "int", "Points added (positive) or removed (negative)", "points"),
                _c(
                    "transaction_id",
                    "id",
                    "Purchase that earned the points; empty for redemptions and expiries",
                    nullable=True,
                ),
            ),
            key=("entry_id",),
            world="Online retailer (membership case)",
        ),
    ]
}
