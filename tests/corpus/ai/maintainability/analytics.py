"""Analytics helpers as an assistant might write them."""

from dataclasses import dataclass, field


def add_tag(tag, tags=[]):  # expect: RV201
    tags.append(tag)
    return tags


def merge_settings(overrides, defaults={}):  # expect: RV201
    defaults.update(overrides)
    return defaults


def unique_users(events, seen=set()):  # expect: RV201
    for event in events:
        seen.add(event["user"])
    return seen


def add_tag_safely(tag, tags=None):  # ok: RV201
    tags = [] if tags is None else tags
    tags.append(tag)
    return tags


def scale(values, factors=(1, 2, 3)):  # ok: RV201
    return [v * f for v, f in zip(values, factors)]


@dataclass
class Report:
    id: int  # ok: RV203
    rows: list = field(default_factory=list)  # ok: RV201

    def format(self):  # ok: RV203
        return f"{self.id}: {len(self.rows)} rows"


def summarize(rows):
    list = [r["amount"] for r in rows]  # expect: RV203
    return sum(list) / len(list)


def lookup(id, table):  # expect: RV203
    return table[id]


def parse_lines(text):
    for str in text.splitlines():  # expect: RV203
        yield str.strip()


def parse_lines_clean(text):
    for line in text.splitlines():  # ok: RV203
        yield line.strip()


def open_report(path, mode="r"):
    return Report(id=len(path), rows=[mode])  # ok: RV203


def create_invoice(customer, items, currency, tax_rate, discount, due_days, notes, template):  # expect: RV204
    return (customer, items, currency, tax_rate, discount, due_days, notes, template)


def create_receipt(customer, items, currency, tax_rate, discount, notes, *, template=None):  # ok: RV204
    return (customer, items, currency, tax_rate, discount, notes, template)


def flag_orders(batches):  # expect: RV207
    flagged = []
    for batch in batches:
        if batch["active"]:
            for order in batch["orders"]:
                if order["total"] > 1000:
                    for item in order["items"]:
                        if item["risky"]:  # expect: RV205
                            flagged.append(item)
    return flagged


def flag_orders_flat(batches):
    flagged = []
    for batch in batches:
        if batch["active"]:
            for order in batch["orders"]:
                if order["total"] > 1000:
                    flagged.extend(i for i in order["items"] if i["risky"])  # ok: RV205
    return flagged


def shipping_cost(order):  # expect: RV207
    cost = 0
    if order["country"] == "US":
        if order["weight"] > 10:
            cost += 20
        elif order["weight"] > 5:
            cost += 10
        else:
            cost += 5
    elif order["country"] in ("CA", "MX"):
        if order["express"] and order["weight"] > 5:
            cost += 30
        else:
            cost += 15
    else:
        for item in order["items"]:
            if item["fragile"]:
                if item["size"] > 3 or item["weight"] > 2:
                    cost += 12
                else:
                    cost += 6
            elif item["oversize"]:
                cost += 9
    if order["coupon"] and not order["coupon_expired"] or order["vip"]:
        cost = max(cost - 5, 0)
    return cost


def shipping_cost_simple(order):  # ok: RV207
    base = {"US": 5, "CA": 15, "MX": 15}.get(order["country"], 25)
    if order["express"]:
        base *= 2
    if order["vip"]:
        base = max(base - 5, 0)
    return base


def build_dashboard(rows):  # expect: RV206
    metrics = {}
    metrics["clicks_0"] = sum(row.get("clicks", 0) for row in rows[0::3])
    metrics["views_1"] = sum(row.get("views", 0) for row in rows[1::4])
    metrics["orders_2"] = sum(row.get("orders", 0) for row in rows[2::5])
    metrics["refunds_3"] = sum(row.get("refunds", 0) for row in rows[3::6])
    metrics["clicks_4"] = sum(row.get("clicks", 0) for row in rows[4::3])
    metrics["views_5"] = sum(row.get("views", 0) for row in rows[5::4])
    metrics["orders_6"] = sum(row.get("orders", 0) for row in rows[6::5])
    metrics["refunds_7"] = sum(row.get("refunds", 0) for row in rows[7::6])
    metrics["clicks_8"] = sum(row.get("clicks", 0) for row in rows[8::3])
    metrics["views_9"] = sum(row.get("views", 0) for row in rows[9::4])
    metrics["orders_10"] = sum(row.get("orders", 0) for row in rows[10::5])
    metrics["refunds_11"] = sum(row.get("refunds", 0) for row in rows[11::6])
    metrics["clicks_12"] = sum(row.get("clicks", 0) for row in rows[12::3])
    metrics["views_13"] = sum(row.get("views", 0) for row in rows[13::4])
    metrics["orders_14"] = sum(row.get("orders", 0) for row in rows[14::5])
    metrics["refunds_15"] = sum(row.get("refunds", 0) for row in rows[15::6])
    metrics["clicks_16"] = sum(row.get("clicks", 0) for row in rows[16::3])
    metrics["views_17"] = sum(row.get("views", 0) for row in rows[17::4])
    metrics["orders_18"] = sum(row.get("orders", 0) for row in rows[18::5])
    metrics["refunds_19"] = sum(row.get("refunds", 0) for row in rows[19::6])
    metrics["clicks_20"] = sum(row.get("clicks", 0) for row in rows[20::3])
    metrics["views_21"] = sum(row.get("views", 0) for row in rows[21::4])
    metrics["orders_22"] = sum(row.get("orders", 0) for row in rows[22::5])
    metrics["refunds_23"] = sum(row.get("refunds", 0) for row in rows[23::6])
    metrics["clicks_24"] = sum(row.get("clicks", 0) for row in rows[24::3])
    metrics["views_25"] = sum(row.get("views", 0) for row in rows[25::4])
    metrics["orders_26"] = sum(row.get("orders", 0) for row in rows[26::5])
    metrics["refunds_27"] = sum(row.get("refunds", 0) for row in rows[27::6])
    metrics["clicks_28"] = sum(row.get("clicks", 0) for row in rows[28::3])
    metrics["views_29"] = sum(row.get("views", 0) for row in rows[29::4])
    metrics["orders_30"] = sum(row.get("orders", 0) for row in rows[30::5])
    metrics["refunds_31"] = sum(row.get("refunds", 0) for row in rows[31::6])
    metrics["clicks_32"] = sum(row.get("clicks", 0) for row in rows[32::3])
    metrics["views_33"] = sum(row.get("views", 0) for row in rows[33::4])
    metrics["orders_34"] = sum(row.get("orders", 0) for row in rows[34::5])
    metrics["refunds_35"] = sum(row.get("refunds", 0) for row in rows[35::6])
    metrics["clicks_36"] = sum(row.get("clicks", 0) for row in rows[36::3])
    metrics["views_37"] = sum(row.get("views", 0) for row in rows[37::4])
    metrics["orders_38"] = sum(row.get("orders", 0) for row in rows[38::5])
    metrics["refunds_39"] = sum(row.get("refunds", 0) for row in rows[39::6])
    metrics["clicks_40"] = sum(row.get("clicks", 0) for row in rows[40::3])
    metrics["views_41"] = sum(row.get("views", 0) for row in rows[41::4])
    metrics["orders_42"] = sum(row.get("orders", 0) for row in rows[42::5])
    metrics["refunds_43"] = sum(row.get("refunds", 0) for row in rows[43::6])
    metrics["clicks_44"] = sum(row.get("clicks", 0) for row in rows[44::3])
    metrics["views_45"] = sum(row.get("views", 0) for row in rows[45::4])
    metrics["orders_46"] = sum(row.get("orders", 0) for row in rows[46::5])
    metrics["refunds_47"] = sum(row.get("refunds", 0) for row in rows[47::6])
    metrics["clicks_48"] = sum(row.get("clicks", 0) for row in rows[48::3])
    metrics["views_49"] = sum(row.get("views", 0) for row in rows[49::4])
    metrics["orders_50"] = sum(row.get("orders", 0) for row in rows[50::5])
    metrics["refunds_51"] = sum(row.get("refunds", 0) for row in rows[51::6])
    metrics["clicks_52"] = sum(row.get("clicks", 0) for row in rows[52::3])
    metrics["views_53"] = sum(row.get("views", 0) for row in rows[53::4])
    metrics["orders_54"] = sum(row.get("orders", 0) for row in rows[54::5])
    metrics["refunds_55"] = sum(row.get("refunds", 0) for row in rows[55::6])
    metrics["clicks_56"] = sum(row.get("clicks", 0) for row in rows[56::3])
    metrics["views_57"] = sum(row.get("views", 0) for row in rows[57::4])
    metrics["orders_58"] = sum(row.get("orders", 0) for row in rows[58::5])
    metrics["refunds_59"] = sum(row.get("refunds", 0) for row in rows[59::6])
    metrics["clicks_60"] = sum(row.get("clicks", 0) for row in rows[60::3])
    metrics["views_61"] = sum(row.get("views", 0) for row in rows[61::4])
    metrics["orders_62"] = sum(row.get("orders", 0) for row in rows[62::5])
    metrics["refunds_63"] = sum(row.get("refunds", 0) for row in rows[63::6])
    metrics["clicks_64"] = sum(row.get("clicks", 0) for row in rows[64::3])
    metrics["views_65"] = sum(row.get("views", 0) for row in rows[65::4])
    metrics["orders_66"] = sum(row.get("orders", 0) for row in rows[66::5])
    metrics["refunds_67"] = sum(row.get("refunds", 0) for row in rows[67::6])
    metrics["clicks_68"] = sum(row.get("clicks", 0) for row in rows[68::3])
    metrics["views_69"] = sum(row.get("views", 0) for row in rows[69::4])
    metrics["orders_70"] = sum(row.get("orders", 0) for row in rows[70::5])
    metrics["refunds_71"] = sum(row.get("refunds", 0) for row in rows[71::6])
    metrics["clicks_72"] = sum(row.get("clicks", 0) for row in rows[72::3])
    metrics["views_73"] = sum(row.get("views", 0) for row in rows[73::4])
    metrics["orders_74"] = sum(row.get("orders", 0) for row in rows[74::5])
    metrics["refunds_75"] = sum(row.get("refunds", 0) for row in rows[75::6])
    metrics["clicks_76"] = sum(row.get("clicks", 0) for row in rows[76::3])
    metrics["views_77"] = sum(row.get("views", 0) for row in rows[77::4])
    metrics["orders_78"] = sum(row.get("orders", 0) for row in rows[78::5])
    metrics["refunds_79"] = sum(row.get("refunds", 0) for row in rows[79::6])
    metrics["clicks_80"] = sum(row.get("clicks", 0) for row in rows[80::3])
    metrics["views_81"] = sum(row.get("views", 0) for row in rows[81::4])
    metrics["orders_82"] = sum(row.get("orders", 0) for row in rows[82::5])
    metrics["refunds_83"] = sum(row.get("refunds", 0) for row in rows[83::6])
    return metrics


def build_dashboard_short(rows):  # ok: RV206
    names = ("clicks", "views", "orders", "refunds")
    return {name: sum(row.get(name, 0) for row in rows) for name in names}
