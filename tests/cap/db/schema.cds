// A plant nursery: greenhouses with their beds (a composition, so containment in OData),
// keepers (an association), plants (read-only), and a notebook one can only add to.
namespace nursery;

type Climate : String enum {
  tropical  = 'T';
  temperate = 'M';
  arid      = 'A';
}

entity Greenhouses {
  key ID       : UUID;
      name     : String(60);
      climate  : Climate default 'M';
      area     : Decimal(9, 2);
      visitors : Int64;
      openedOn : Date;
      lastCheck: DateTime;
      humidity : Integer @assert.range: [0, 100];
      modified : Timestamp @cds.on.insert: $now @cds.on.update: $now @odata.etag;
      beds     : Composition of many Beds on beds.greenhouse = $self;
      keeper   : Association to Keepers;
}

entity Beds {
  key greenhouse : Association to Greenhouses;
  key row        : Integer;
      soil       : String;
      sown       : Association to Plants;
}

entity Keepers {
  key ID          : Integer;
      name        : String;
      greenhouses : Association to many Greenhouses on greenhouses.keeper = $self;
}

entity Plants {
  key code       : String(10);
      commonName : String;
}

entity Notes {
  key ID      : UUID;
      text    : String;
      written : DateTime;
}

// Plants delivered by a supplier, numbered per supplier: a composite key.
entity Deliveries {
  key supplier : String(20);
  key number   : Integer;
      plant    : Association to Plants;
      quantity : Integer;
      arrived  : Date;
}
