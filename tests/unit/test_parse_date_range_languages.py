"""Date Range reports in French, Italian, Spanish and Portuguese (own fixtures, built here),
and a clear "unsupported language" message for any other (issue 9 item 9)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.reports import Category, Kind, ReportError, parse


def _csv(preamble: str, header: list[str], rows: list[list[str]]) -> bytes:
    lines = [f'"{preamble}"', ",".join(f'"{h}"' for h in header)]
    lines += [",".join(f'"{c}"' for c in row) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


FR = _csv("Tous les montants sont en EUR, sauf mention contraire", [
    "date/heure", "numéro de versement", "type", "numéro de la commande", "sku",
    "description", "quantité", "marketplace", "traitement", "ville d'où provient la commande",
    "région d'où provient la commande", "code postal de la commande",
    "modèle de perception des taxes", "ventes de produits", "taxes sur la vente des produits",
    "crédits d'expédition", "taxe sur les crédits d’expédition",
    "crédits sur l'emballage cadeau", "taxes sur les crédits cadeaux", "Rabais promotionnels",
    "Taxes sur les remises promotionnelles", "taxes retenues sur le site de vente",
    "frais de vente", "Frais Expédié par Amazon", "autres frais de transaction", "autre",
    "total"], [
    ["1er mars 2026 14:05:21 UTC", "555", "Commande", "402-1", "THE-VERT", "Thé vert", "1",
     "amazon.fr", "Amazon", "Paris", "", "75001", "", "25,00", "5,00", "0", "0", "0", "0",
     "0", "0", "0", "-3,75", "-2,50", "0", "0", "23,75"],
])
IT = _csv("Tutti gli importi sono espressi in EUR", [
    "Data/Ora:", "Numero pagamento", "Tipo", "Numero ordine", "SKU", "Descrizione",
    "Quantità", "Marketplace", "Gestione", "Città di provenienza dell'ordine",
    "Provincia di provenienza dell'ordine", "CAP dell'ordine",
    "modello di riscossione delle imposte", "Vendite", "imposta sulle vendite dei prodotti",
    "Accrediti per le spedizioni", "imposta accrediti per le spedizioni",
    "Accrediti per confezioni regalo", "imposta sui crediti confezione regalo",
    "Sconti promozionali", "imposta sugli sconti promozionali",
    "trattenuta IVA del marketplace", "Commissioni di vendita",
    "Costi del servizio Logistica di Amazon", "Altri costi relativi alle transazioni",
    "Altro", "totale"], [
    ["15 ott 2025 10:00:00 GMT+1", "556", "Ordine", "403-1", "CAFFE", "Caffè", "2",
     "amazon.it", "Amazon", "Roma", "RM", "00100", "", "40,00", "8,80", "0", "0", "0", "0",
     "0", "0", "0", "-6,00", "-5,10", "0", "0", "37,70"],
])
ES = _csv("Todos los importes en EUR, a menos que se especifique lo contrario", [
    "fecha y hora", "identificador de pago", "tipo", "número de pedido", "sku",
    "descripción", "cantidad", "web de Amazon", "gestión logística", "ciudad del pedido",
    "comunidad autónoma del pedido", "código postal del pedido",
    "modelo de recaudación de impuestos", "ventas de productos",
    "impuesto de ventas de productos", "abonos de envío", "impuestos por abonos de envío",
    "abonos de envoltorio para regalo", "impuesto de créditos de envoltura",
    "devoluciones promocionales", "impuesto de reembolsos promocionales",
    "impuesto retenido en el sitio web", "tarifas de venta",
    "tarifas de Logística de Amazon", "tarifas de otras transacciones", "otro", "total"], [
    ["5 de marzo de 2026 10:00:00 UTC", "557", "Pedido", "404-1", "TE", "Té", "1",
     "amazon.es", "Amazon", "Madrid", "Madrid", "28001", "", "30,00", "6,30", "0", "0", "0",
     "0", "0", "0", "0", "-4,50", "-3,00", "0", "0", "28,80"],
])
PT = _csv("Todos os valores em BRL, a menos que especificado", [
    "data/hora", "id de liquidação", "tipo", "id do pedido", "sku", "descrição",
    "quantidade", "mercado", "tipo de conta", "atendimento", "cidade do pedido",
    "estado do pedido", "postal do pedido", "vendas do produto", "créditos de remessa",
    "descontos promocionais", "tarifas de venda", "taxas de outras transações", "outro",
    "total"], [
    ["28 de fev. de 2026 21:17:51 GMT-8", "558", "Pedido", "701-1", "CAFE", "Café", "1",
     "amazon.com.br", "Padrão", "Amazon", "São Paulo", "SP", "01000", "59,90", "0", "0",
     "-8,99", "0", "0", "50,91"],
])


@pytest.mark.parametrize("data,layout,posted,total,currency", [
    (FR, "date_range_fr", datetime(2026, 3, 1, 14, 5, 21, tzinfo=UTC), "23.75", "EUR"),
    (IT, "date_range_it", datetime(2025, 10, 15, 9, 0, tzinfo=UTC), "37.70", "EUR"),
    (ES, "date_range_es", datetime(2026, 3, 5, 10, 0, tzinfo=UTC), "28.80", "EUR"),
    # 28 Feb 21:17:51 at GMT-8 is 1 March 05:17:51 UTC.
    (PT, "date_range_pt", datetime(2026, 3, 1, 5, 17, 51, tzinfo=UTC), "50.91", "BRL"),
])
def test_each_language_parses_with_dates_numbers_and_categories(data, layout, posted, total,
                                                               currency) -> None:  # type: ignore[no-untyped-def]
    report = parse(data, "bericht.csv")
    assert (report.kind, report.layout, report.currency) == (Kind.DATE_RANGE, layout, currency)
    assert report.total == Decimal(total) and report.reconciles
    assert {line.posted for line in report.lines} == {posted}
    categories = {line.category for line in report.lines}
    assert Category.PRODUCT_SALES in categories and Category.SELLING_FEE in categories


def test_another_language_says_unsupported_language() -> None:
    nl = _csv("Alle bedragen in EUR", [
        "datum/tijd", "schikkings-ID", "type", "bestelnummer", "sku", "beschrijving",
        "aantal", "marketplace", "levering", "totaal"], [
        ["1 mrt 2026 10:00:00 UTC", "1", "Bestelling", "1", "A", "B", "1", "amazon.nl",
         "Amazon", "1,00"]])
    with pytest.raises(ReportError) as caught:
        parse(nl, "rapport.csv")
    assert caught.value.code == "unsupported_language"
    assert "rapport.csv" in caught.value.message() and "datum/tijd" in caught.value.message()
    assert "not an Amazon report" not in caught.value.message()
