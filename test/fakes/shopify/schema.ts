// A small subset of the Shopify Admin GraphQL schema: only what Koppel uses. Names and nullability follow shopify.dev.
import { buildSchema } from "graphql";

export const ADMIN_SDL = /* GraphQL */ `
scalar DateTime
scalar UnsignedInt64
scalar Decimal
scalar URL

enum OrderSortKeys { CREATED_AT CUSTOMER_NAME DESTINATION FINANCIAL_STATUS FULFILLMENT_STATUS ID ORDER_NUMBER PO_NUMBER PROCESSED_AT RELEVANCE TOTAL_ITEMS_QUANTITY TOTAL_PRICE UPDATED_AT }
enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
enum OrderDisplayFulfillmentStatus { FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT REQUEST_DECLINED RESTOCKED SCHEDULED UNFULFILLED }
enum CurrencyCode { EUR USD GBP CHF DKK SEK NOK PLN CZK }
enum CountryCode { NL BE DE FR LU GB AT ES IT DK SE PL US CA }
enum WeightUnit { GRAMS KILOGRAMS OUNCES POUNDS }
enum FulfillmentOrderStatus { CANCELLED CLOSED INCOMPLETE IN_PROGRESS ON_HOLD OPEN SCHEDULED }
enum FulfillmentOrderRequestStatus { ACCEPTED CANCELLATION_ACCEPTED CANCELLATION_REJECTED CANCELLATION_REQUESTED CLOSED REJECTED SUBMITTED UNSUBMITTED }
enum DeliveryMethodType { LOCAL NONE PICKUP_POINT PICK_UP RETAIL SHIPPING }
enum FulfillmentStatus { CANCELLED ERROR FAILURE OPEN PENDING SUCCESS }

"""Relay object identification: every object with a global id (https://shopify.dev/docs/api/admin-graphql/latest/interfaces/Node)."""
interface Node { id: ID! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

type Query {
  orders(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: OrderSortKeys = ID, query: String): OrderConnection!
  order(id: ID!): Order
  node(id: ID!): Node
  """At most 250 ids (Shopify's input array limit); an unknown id gives null at its place."""
  nodes(ids: [ID!]!): [Node]!
  fulfillmentOrder(id: ID!): FulfillmentOrder
  shop: Shop!
}

type Mutation {
  fulfillmentCreate(fulfillment: FulfillmentInput!, message: String): FulfillmentCreatePayload
}

type Shop implements Node { id: ID! name: String! myshopifyDomain: String! currencyCode: CurrencyCode! }

type Order implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  email: String
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  cancelledAt: DateTime
  closed: Boolean!
  test: Boolean!
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  currencyCode: CurrencyCode!
  customer: Customer
  shippingAddress: MailingAddress
  billingAddress: MailingAddress
  currentTotalPriceSet: MoneyBag!
  totalPriceSet: MoneyBag!
  totalWeight: UnsignedInt64
  requiresShipping: Boolean!
  tags: [String!]!
  shippingLine: ShippingLine
  lineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): LineItemConnection!
  fulfillmentOrders(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, displayable: Boolean = false): FulfillmentOrderConnection!
  fulfillments(first: Int): [Fulfillment!]!
}
type OrderConnection { nodes: [Order!]! edges: [OrderEdge!]! pageInfo: PageInfo! }
type OrderEdge { cursor: String! node: Order! }

type Customer implements Node { id: ID! firstName: String lastName: String displayName: String! email: String }

type MailingAddress {
  name: String firstName: String lastName: String company: String
  address1: String address2: String city: String zip: String
  province: String provinceCode: String country: String countryCodeV2: CountryCode phone: String
}

type ShippingLine { title: String! }

type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }

type LineItem implements Node {
  id: ID! sku: String name: String! title: String! variantTitle: String
  quantity: Int! currentQuantity: Int! requiresShipping: Boolean! variant: ProductVariant
}
type LineItemConnection { nodes: [LineItem!]! edges: [LineItemEdge!]! pageInfo: PageInfo! }
type LineItemEdge { cursor: String! node: LineItem! }

type ProductVariant implements Node { id: ID! sku: String title: String! inventoryItem: InventoryItem! }
type InventoryItem implements Node { id: ID! measurement: InventoryItemMeasurement! }
type InventoryItemMeasurement implements Node { id: ID! weight: Weight }
type Weight { unit: WeightUnit! value: Float! }

type FulfillmentOrder implements Node {
  id: ID! orderId: ID! status: FulfillmentOrderStatus! requestStatus: FulfillmentOrderRequestStatus!
  assignedLocation: FulfillmentOrderAssignedLocation! deliveryMethod: DeliveryMethod
  lineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): FulfillmentOrderLineItemConnection!
}
type FulfillmentOrderConnection { nodes: [FulfillmentOrder!]! edges: [FulfillmentOrderEdge!]! pageInfo: PageInfo! }
type FulfillmentOrderEdge { cursor: String! node: FulfillmentOrder! }
type FulfillmentOrderAssignedLocation { name: String! address1: String city: String zip: String countryCode: CountryCode! location: Location }
type Location implements Node { id: ID! name: String! }
type DeliveryMethod implements Node { id: ID! methodType: DeliveryMethodType! }
type FulfillmentOrderLineItem implements Node { id: ID! sku: String remainingQuantity: Int! totalQuantity: Int! lineItem: LineItem! }
type FulfillmentOrderLineItemConnection { nodes: [FulfillmentOrderLineItem!]! edges: [FulfillmentOrderLineItemEdge!]! pageInfo: PageInfo! }
type FulfillmentOrderLineItemEdge { cursor: String! node: FulfillmentOrderLineItem! }

type Fulfillment implements Node { id: ID! status: FulfillmentStatus! createdAt: DateTime! trackingInfo(first: Int): [FulfillmentTrackingInfo!]! order: Order! }
type FulfillmentTrackingInfo { company: String number: String url: URL }

input FulfillmentInput {
  lineItemsByFulfillmentOrder: [FulfillmentOrderLineItemsInput!]!
  notifyCustomer: Boolean = false
  trackingInfo: FulfillmentTrackingInput
  originAddress: FulfillmentOriginAddressInput
}
input FulfillmentOrderLineItemsInput { fulfillmentOrderId: ID! fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!] }
input FulfillmentOrderLineItemInput { id: ID! quantity: Int! }
input FulfillmentTrackingInput { company: String number: String url: URL numbers: [String!] urls: [URL!] }
input FulfillmentOriginAddressInput { address1: String address2: String city: String zip: String provinceCode: String countryCode: String! }

type FulfillmentCreatePayload { fulfillment: Fulfillment userErrors: [UserError!]! }
type UserError { field: [String!] message: String! }
`;

export const adminSchema = buildSchema(ADMIN_SDL);
